/**
 * The fake Slack of the bench's fault mix, on the simulated clock: each request is answered as the seeded plan
 * says for its event's try, and a failure reaches the relay as the Slack sender's own classification makes it.
 */
import { isDigestView } from '../functions/alerts';
import type { AlertSender } from '../functions/chat';
import { classifyHttpFailure, classifyNoReply } from '../functions/chat';
import { PostFailure } from '../functions/chat';
import { DEFAULT_RETRY_POLICY, DELIVERY_TRIES } from '../functions/delivery';
import type { Fault } from '../test/support/fault-chat-server';
import {
  buildEvents,
  type MixEvent,
  type ScenarioName,
  scenarioDeck,
  scenarios,
  seededRandom,
} from '../test/support/fault-mix';
import type { SimulatedClock } from './simulated-clock';

/**
 * The mix, per event: 55 % answered at once; 33 % met by a fault that clears (429 once or three times, 500 once or
 * twice, a reset, a reply slower than the timeout); 12 % (36 of 300) by one that never does (404 `no_service`,
 * 410, 500 or a reset every time), which must end as dead letters after every try.
 */
export const FAULT_LATENCY_MIX: Readonly<Partial<Record<ScenarioName, number>>> = {
  ok: 55,
  rate_limited_once: 5.5,
  rate_limited_thrice: 5.5,
  server_error_once: 5.5,
  server_error_twice: 5.5,
  reset_once: 5.5,
  slow_first: 5.5,
  no_service: 3,
  archived: 3,
  server_error_forever: 3,
  reset_forever: 3,
};

/** Tries of an alert before its dead letter: the destination queue's default maxReceiveCount. */
export const TRIES = DELIVERY_TRIES;

/** Slack's answers, as status and body, to the faults that have one. */
const ANSWERS: Readonly<Partial<Record<Fault, readonly [number, string]>>> = {
  rate_limited: [429, 'rate_limited'],
  server_error: [500, 'rollup_error'],
  unavailable: [503, ''],
  no_service: [404, 'no_service'],
  archived: [410, 'channel_is_archived'],
};

/** Scenarios whose every try fails: their events must end as dead letters. */
export const DOOMED: ReadonlySet<ScenarioName> = new Set([
  'no_service',
  'archived',
  'server_error_forever',
  'reset_forever',
]);

export interface FaultPlanOfMix {
  readonly events: readonly MixEvent[];
  /** The scenario of each event of the mix. */
  readonly scenarioOf: ReadonlyMap<string, ScenarioName>;
  /**
   * The fault of the `attempt`-th request carrying `key`: an event's, or a digest's (its key drawn from the same
   * seeded mix, so that digests meet faults at the same rates as lone alerts).
   */
  readonly plan: (key: string, attempt: number) => Fault;
}

/** A scenario of the mix for a key it did not deal (a digest's), from the seed and the key alone. */
function drawnScenario(key: string, seed: number): ScenarioName {
  let hash = 2166136261;
  for (const char of key) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619);
  const roll = seededRandom((seed ^ hash) >>> 0)();
  const weights = (Object.entries(FAULT_LATENCY_MIX) as [ScenarioName, number][]).filter(([name]) => !DOOMED.has(name));
  let left = roll * weights.reduce((sum, [, weight]) => sum + weight, 0);
  for (const [name, weight] of weights) {
    left -= weight;
    if (left < 0) return name;
  }
  return 'ok';
}

/** `count` events and the scenario of each, from the seed: the same for every relay measured. */
export function planMix(count: number, seed: number): FaultPlanOfMix {
  const events = buildEvents(count, seed);
  const deck = scenarioDeck(count, FAULT_LATENCY_MIX, seededRandom(seed));
  const scenarioOf = new Map(events.map((e, i) => [e.key, deck[i]!]));
  const table = scenarios({
    retryPolicy: DEFAULT_RETRY_POLICY,
    sendTimeoutMs: 0,
    slowReplyMs: 0,
    redeliveryDelayMs: 0,
    maxReceiveCount: TRIES,
    invocationBudgetMs: 0,
  });
  const plan = (key: string, attempt: number): Fault => {
    const scenario = table[scenarioOf.get(key) ?? drawnScenario(key, seed)];
    return scenario.faults[attempt - 1] ?? scenario.afterwards;
  };
  return { events, scenarioOf, plan };
}

export interface FaultSlack {
  readonly sender: AlertSender;
  /** When each event first appeared in the channel, and how many times it did. */
  readonly shown: Map<string, number[]>;
  readonly requests: () => number;
}

/**
 * A Slack webhook answering `plan`; a slow reply comes after `timeoutMs`, when the sender has given up on it. A digest
 * is answered as planned for its own key, unless it shows an event the mix dooms: that event's refusal then meets it
 * too (what the mix models per event is a refusal of that event, wherever it is shown). Every event a digest shows is
 * visible when it is posted.
 */
export function faultSlack(clock: SimulatedClock, mix: FaultPlanOfMix, timeoutMs: number): FaultSlack {
  const attempts = new Map<string, number>();
  const shown = new Map<string, number[]>();
  let requests = 0;
  const show = (keys: readonly string[]): void => {
    for (const key of keys) shown.set(key, [...(shown.get(key) ?? []), clock.now()]);
  };
  const faultOf = (key: string): Fault => {
    const attempt = (attempts.get(key) ?? 0) + 1;
    attempts.set(key, attempt);
    return mix.plan(key, attempt);
  };
  const sender: AlertSender = {
    kind: 'slack',
    async send(view) {
      requests++;
      const keys = isDigestView(view) ? view.eventKeys : [view.key];
      const fault = faultOf(view.key);
      if (fault === 'ok') return show(keys);
      if (fault === 'slow') {
        // Slack posts before it replies: the alert is in the channel, the reply too late.
        show(keys);
        await clock.sleep(timeoutMs);
        throw classifyNoReply(new PostFailure('timeout', true));
      }
      if (fault === 'reset') throw classifyNoReply(new PostFailure('network_error', true));
      const [status, body] = ANSWERS[fault]!;
      throw classifyHttpFailure(status, body, status === 429 ? '1' : null);
    },
  };
  return { sender, shown, requests: () => requests };
}
