import { DELIVERY_TRIES, type RetryPolicy } from '../../../functions/delivery';
import type { Fault, Platform } from '../fault-chat-server';

/*
 * The fault mix's rules: its clocks, what a platform does with one event attempt after attempt, and what the relay
 * must make of it (the outcome, the dead-letter reason, the retries).
 */

// ---------------------------------------------------------------------------------------------------------------
// Settings

export interface FaultMixSettings {
  readonly retryPolicy: RetryPolicy;
  readonly sendTimeoutMs: number;
  /** How late a `slow` reply comes: longer than sendTimeoutMs. */
  readonly slowReplyMs: number;
  readonly redeliveryDelayMs: number;
  readonly maxReceiveCount: number;
  readonly invocationBudgetMs: number;
}

/**
 * Fast enough for a test run: the retry rules and the number of tries are those of production, only the clocks are
 * shorter (the backoff doubles from 5 ms to 40 ms rather than from 1 s to 50 s).
 */
export const FAST_SETTINGS: FaultMixSettings = {
  retryPolicy: { baseDelayMs: 5, maxDelayMs: 40, defaultRetryAfterMs: 50 },
  // Far above a normal reply even on a loaded 2-core machine: a reply late by accident would count as unconfirmed.
  sendTimeoutMs: 1000,
  slowReplyMs: 1400,
  redeliveryDelayMs: 20,
  maxReceiveCount: DELIVERY_TRIES,
  invocationBudgetMs: 5000,
};

/** The `Retry-After` the fake platforms send with a 429, in milliseconds. */
export const RETRY_AFTER_MS = 1000;

// ---------------------------------------------------------------------------------------------------------------
// Scenarios: what one platform does with one event, attempt after attempt

export const SCENARIO_NAMES = [
  'ok',
  'server_error_once',
  'server_error_twice',
  'server_error_past_one_receive',
  'unavailable_until_last_attempt',
  'reset_once',
  'rate_limited_once',
  'rate_limited_thrice',
  'rate_limited_at_receive_end',
  'slow_first',
  'error_then_slow',
  'no_service',
  'archived',
  'unavailable_forever',
  'server_error_forever',
  'reset_forever',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export type Expectation = 'posted' | 'unconfirmed' | 'dead';

export interface Scenario {
  /** Faults of attempts 1, 2, … for this (platform, event), whichever copy of the webhook makes them. */
  readonly faults: readonly Fault[];
  /** The fault of every later attempt. */
  readonly afterwards: Fault;
  /**
   * `posted`: in the channel exactly once, confirmed. `unconfirmed`: in the channel exactly once, the reply timed
   * out (a resend would post it twice). `dead`: never posted, in the dead-letter store for the reason of `afterwards`.
   */
  readonly expect: Expectation;
}

/** Every scenario's outcome holds whatever the interleaving of duplicate webhooks (see the comments). */
export function scenarios(settings: FaultMixSettings): Readonly<Record<ScenarioName, Scenario>> {
  // A failed try steps aside: one try a receive.
  const attemptsPerReceive = 1;
  const allAttempts = attemptsPerReceive * settings.maxReceiveCount;
  const times = (n: number, fault: Fault): Fault[] => Array.from({ length: n }, () => fault);
  return {
    ok: { faults: [], afterwards: 'ok', expect: 'posted' },
    server_error_once: { faults: ['server_error'], afterwards: 'ok', expect: 'posted' },
    // Posted within the first receive, after two retries.
    server_error_twice: { faults: times(2, 'server_error'), afterwards: 'ok', expect: 'posted' },
    // Outlasts the first receive's attempts: handed back to the queue, posted on the next receive.
    server_error_past_one_receive: {
      faults: times(attemptsPerReceive + 1, 'server_error'),
      afterwards: 'ok',
      expect: 'posted',
    },
    // Succeeds on the very last attempt of the last receive (one failure fewer than a copy can make).
    unavailable_until_last_attempt: {
      faults: times(allAttempts - 1, 'unavailable'),
      afterwards: 'ok',
      expect: 'posted',
    },
    reset_once: { faults: ['reset'], afterwards: 'ok', expect: 'posted' },
    // 429 with Retry-After: 1: handed back, and not sent again before it has passed.
    rate_limited_once: { faults: ['rate_limited'], afterwards: 'ok', expect: 'posted' },
    rate_limited_thrice: { faults: times(3, 'rate_limited'), afterwards: 'ok', expect: 'posted' },
    // A 429 on a receive's last attempt: handed back to the queue, it must still not come back before Retry-After.
    // Not in DEFAULT_MIX: the local relay redelivers after redeliveryDelayMs whatever the Retry-After (known issue).
    rate_limited_at_receive_end: {
      faults: [...times(attemptsPerReceive - 1, 'server_error'), 'rate_limited'],
      afterwards: 'ok',
      expect: 'posted',
    },
    // Posted by the platform, reply too late: must not be sent again (a second attempt would post it twice).
    slow_first: { faults: ['slow'], afterwards: 'ok', expect: 'unconfirmed' },
    error_then_slow: { faults: ['server_error', 'slow'], afterwards: 'ok', expect: 'unconfirmed' },
    // Not retryable: dead-lettered on the first attempt.
    no_service: { faults: [], afterwards: 'no_service', expect: 'dead' },
    archived: { faults: [], afterwards: 'archived', expect: 'dead' },
    // Retryable forever: dead-lettered on the last receive with the last reason.
    unavailable_forever: { faults: [], afterwards: 'unavailable', expect: 'dead' },
    server_error_forever: { faults: [], afterwards: 'server_error', expect: 'dead' },
    reset_forever: { faults: [], afterwards: 'reset', expect: 'dead' },
  };
}

/** Default weights of the mix (per platform, per event). */
export const DEFAULT_MIX: Readonly<Record<ScenarioName, number>> = {
  ok: 40,
  server_error_once: 0,
  server_error_twice: 8,
  server_error_past_one_receive: 5,
  unavailable_until_last_attempt: 3,
  reset_once: 6,
  rate_limited_once: 2.5,
  rate_limited_thrice: 0,
  rate_limited_at_receive_end: 0,
  slow_first: 3,
  error_then_slow: 1.5,
  no_service: 6,
  archived: 4,
  unavailable_forever: 5,
  server_error_forever: 3,
  reset_forever: 3,
};

/** The dead-letter reason the relay must give each fault: Slack's short codes, else `http_<status>`. */
export const EXPECTED_REASONS: Readonly<Record<Platform, Readonly<Partial<Record<Fault, string>>>>> = {
  slack: {
    no_service: 'no_service',
    archived: 'channel_is_archived',
    unavailable: 'http_503',
    server_error: 'rollup_error',
    reset: 'network_error',
    rate_limited: 'rate_limited',
  },
  teams: {
    no_service: 'http_404',
    archived: 'http_410',
    unavailable: 'http_503',
    server_error: 'http_500',
    reset: 'network_error',
    rate_limited: 'rate_limited',
  },
};

/** Faults after which the relay tries again, on a later receive (each receive is one try). */
export const RETRYABLE: ReadonlySet<Fault> = new Set<Fault>(['rate_limited', 'server_error', 'unavailable', 'reset']);
/** Faults that dead-letter at once, with the HTTP status kept in the letter. */
export const NON_RETRYABLE_STATUS: Readonly<Partial<Record<Fault, number>>> = { no_service: 404, archived: 410 };

/**
 * Tries the relay handed back to be made again, for one key, given the faults the server answered in order and
 * how many of the key's copies were dead-lettered after a retryable fault: each retryable answer is handed back,
 * but the one on a copy's last receive, which is dead-lettered instead.
 */
export function expectedRetries(faults: readonly Fault[], retryableDeadLetters: number): number {
  return faults.filter((fault) => RETRYABLE.has(fault)).length - retryableDeadLetters;
}
