import type { DeadLetter } from '../../../functions/delivery';
import type { NotifierMetric } from '../../../functions/delivery';
import type { FaultChatServer, Platform } from '../fault-chat-server';
import type { MixEvent } from './deck';
import {
  EXPECTED_REASONS,
  expectedRetries,
  NON_RETRYABLE_STATUS,
  RETRY_AFTER_MS,
  RETRYABLE,
  type Expectation,
  type FaultMixSettings,
  type Scenario,
  type ScenarioName,
} from './scenarios';

/* The account of a fault mix: what became of every (destination, event), checked against its scenario. */

export interface DestinationAccount {
  readonly destination: string;
  readonly platform: Platform;
  /** Distinct events routed to this destination. */
  readonly events: number;
  /** In the channel exactly once, with a success reply. */
  readonly postedOnce: number;
  /** In the channel exactly once, reply timed out (slow reply); not resent. */
  readonly postedUnconfirmed: number;
  /** Distinct events in the dead-letter store, by reason. */
  readonly deadLettered: Readonly<Record<string, number>>;
  /** Letters in the store: a repeated webhook of a dead-lettered event is tried again and leaves its own letter. */
  readonly deadLetterEntries: number;
  /** Neither posted nor dead-lettered. */
  readonly lost: number;
  /** Posted more than once, or posted and dead-lettered. */
  readonly duplicated: number;
  /** Events whose outcome differs from their scenario's (wrong reason included). */
  readonly unexpected: number;
  readonly metrics: Readonly<Record<NotifierMetric, number>>;
  readonly expected: {
    /** From the server's answers, see expectedRetries. */
    readonly retries: number;
    /** Repeated webhooks of posted events, each of which must be skipped. */
    readonly duplicatesSkipped: number;
  };
  readonly server: ReturnType<FaultChatServer['stats']>;
  /** Shortest wait, after a 429 with Retry-After: 1, before the same event came again. */
  readonly minRetryAfterGapMs: number | undefined;
  readonly scenarios: Readonly<Partial<Record<ScenarioName, number>>>;
}

export interface FaultMixReport {
  readonly seed: number;
  readonly settings: FaultMixSettings;
  readonly eventsSent: number;
  readonly duplicateWebhooksSent: number;
  /** Status of every webhook POST to the relay. */
  readonly webhookStatuses: Readonly<Record<string, number>>;
  readonly durationMs: number;
  readonly destinations: readonly DestinationAccount[];
  readonly totals: {
    readonly postedOnce: number;
    readonly postedUnconfirmed: number;
    readonly deadLettered: Readonly<Record<string, number>>;
    readonly deadLetterEntries: number;
    readonly lost: number;
    readonly duplicated: number;
    readonly unexpected: number;
    readonly retries: number;
    readonly rateLimited: number;
    readonly serverRateLimited: number;
  };
  /** Every discrepancy found, in words; empty when the run is clean. */
  readonly problems: readonly string[];
}

/** What a fault mix observed, from the sender's side and the fake platforms'. */
export interface Observed {
  readonly settings: FaultMixSettings;
  readonly table: Readonly<Record<ScenarioName, Scenario>>;
  readonly events: readonly MixEvent[];
  readonly scenarioOf: (platform: Platform, key: string) => ScenarioName | undefined;
  /** Webhooks the relay accepted, per event key. */
  readonly accepted: ReadonlyMap<string, number>;
  /** Dead letters in the store, per `destination#eventKey`. */
  readonly letters: ReadonlyMap<string, readonly DeadLetter[]>;
  /** Where every discrepancy is written down. */
  readonly problems: string[];
}

export const bump = (record: Record<string, number>, key: string, by = 1): void => {
  record[key] = (record[key] ?? 0) + by;
};

type Tally = {
  -readonly [K in
    | 'postedOnce'
    | 'postedUnconfirmed'
    | 'deadLetterEntries'
    | 'lost'
    | 'duplicated'
    | 'unexpected']: number;
} & {
  retries: number;
  duplicatesSkipped: number;
  minRetryAfterGapMs: number | undefined;
  readonly deadLettered: Record<string, number>;
  readonly scenarios: Partial<Record<ScenarioName, number>>;
};

/** Accounts for every event at one destination, then checks the relay's metrics against the platform's counts. */
export function accountDestination(
  observed: Observed,
  destination: string,
  platform: Platform,
  server: FaultChatServer,
  counters: Readonly<Record<NotifierMetric, number>>,
): DestinationAccount {
  const tally = accountEvents(observed, destination, platform, server);
  const stats = server.stats();
  checkStrays(observed, destination, server);
  checkMetrics(observed.problems, destination, counters, stats, tally);
  return {
    destination,
    platform,
    events: observed.events.length,
    postedOnce: tally.postedOnce,
    postedUnconfirmed: tally.postedUnconfirmed,
    deadLettered: tally.deadLettered,
    deadLetterEntries: tally.deadLetterEntries,
    lost: tally.lost,
    duplicated: tally.duplicated,
    unexpected: tally.unexpected,
    metrics: { ...counters },
    expected: { retries: tally.retries, duplicatesSkipped: tally.duplicatesSkipped },
    server: stats,
    minRetryAfterGapMs: tally.minRetryAfterGapMs,
    scenarios: tally.scenarios,
  };
}

function accountEvents(observed: Observed, destination: string, platform: Platform, server: FaultChatServer): Tally {
  const { events, table, scenarioOf, accepted, letters, problems } = observed;
  const tally: Tally = {
    postedOnce: 0,
    postedUnconfirmed: 0,
    deadLetterEntries: 0,
    lost: 0,
    duplicated: 0,
    unexpected: 0,
    retries: 0,
    duplicatesSkipped: 0,
    minRetryAfterGapMs: undefined,
    deadLettered: {},
    scenarios: {},
  };
  const fail = (event: MixEvent, scenario: ScenarioName, what: string): void => {
    problems.push(`${destination}: event ${event.index} (${event.key}, scenario ${scenario}) ${what}`);
  };
  for (const event of events) {
    const scenarioName = scenarioOf(platform, event.key)!;
    const scenario = table[scenarioName];
    bump(tally.scenarios, scenarioName);
    const copies = accepted.get(event.key) ?? 0;
    const attempts = server.attemptsOf(event.key);
    const posts = server.postCount(event.key);
    const own = letters.get(`${destination}#${event.key}`) ?? [];
    tally.deadLetterEntries += own.length;
    const retryableReasons = new Set([...RETRYABLE].map((fault) => EXPECTED_REASONS[platform][fault]));
    tally.retries += expectedRetries(
      attempts.map((a) => a.fault),
      own.filter((letter) => retryableReasons.has(letter.reason)).length,
    );
    for (let i = 0; i + 1 < attempts.length; i++) {
      if (attempts[i]!.fault !== 'rate_limited') continue;
      const gap = attempts[i + 1]!.at - attempts[i]!.at;
      tally.minRetryAfterGapMs = Math.min(tally.minRetryAfterGapMs ?? gap, gap);
      // Timers may fire a millisecond early relative to the server's clock readings.
      if (gap < RETRY_AFTER_MS - 5)
        fail(event, scenarioName, `was sent again ${gap} ms after a 429 with Retry-After: 1`);
    }

    if (posts === 0 && own.length === 0) {
      tally.lost++;
      fail(event, scenarioName, `is lost: not posted, not dead-lettered (${attempts.length} attempts)`);
      continue;
    }
    if (posts > 1 || (posts > 0 && own.length > 0)) {
      tally.duplicated++;
      fail(event, scenarioName, `is duplicated: posted ${posts} times, ${own.length} dead letters`);
      continue;
    }
    if (posts === 1) {
      const postedBy = attempts.filter((a) => a.fault === 'ok' || a.fault === 'slow');
      const unconfirmed = postedBy[0]?.fault === 'slow';
      if (unconfirmed) tally.postedUnconfirmed++;
      else tally.postedOnce++;
      tally.duplicatesSkipped += copies - 1;
      const outcome: Expectation = unconfirmed ? 'unconfirmed' : 'posted';
      if (outcome !== scenario.expect) {
        tally.unexpected++;
        fail(event, scenarioName, `expected ${scenario.expect}, was ${outcome}`);
      }
      continue;
    }
    // Dead-lettered only.
    for (const reason of new Set(own.map((l) => l.reason))) bump(tally.deadLettered, reason);
    const reason = EXPECTED_REASONS[platform][scenario.afterwards];
    const status = NON_RETRYABLE_STATUS[scenario.afterwards];
    const wrong = own.filter(
      (l) =>
        l.reason !== reason ||
        l.status !== status ||
        l.eventType !== event.type ||
        JSON.parse(l.body).key !== event.key,
    );
    if (scenario.expect !== 'dead') {
      tally.unexpected++;
      fail(
        event,
        scenarioName,
        `expected ${scenario.expect}, was dead-lettered (${own.map((l) => l.reason).join(', ')})`,
      );
    } else if (wrong.length > 0) {
      tally.unexpected++;
      fail(
        event,
        scenarioName,
        `dead-lettered as ${wrong.map((l) => `${l.reason}/${l.status ?? '-'}`).join(', ')}, expected ${reason}/${status ?? '-'}`,
      );
    } else if (own.length > copies) {
      tally.unexpected++;
      fail(event, scenarioName, `has ${own.length} dead letters for ${copies} webhooks`);
    }
  }
  return tally;
}

/** Posts and dead letters of events nobody sent, and requests the platform could not key. */
function checkStrays(observed: Observed, destination: string, server: FaultChatServer): void {
  const { problems, letters } = observed;
  const knownKeys = new Set(observed.events.map((e) => e.key));
  for (const [key, count] of server.postCounts()) {
    if (!knownKeys.has(key)) problems.push(`${destination}: posted an event nobody sent (${key}) ${count} time(s)`);
  }
  for (const [id, own] of letters) {
    const [dest, key] = id.split('#') as [string, string];
    if (dest === destination && !knownKeys.has(key))
      problems.push(`${destination}: ${own.length} dead letter(s) for an unknown event ${key}`);
  }
  const unkeyed = server.stats().unkeyed;
  if (unkeyed > 0) problems.push(`${destination}: ${unkeyed} request(s) carried no event key`);
}

/** The relay's own counters against the fake platform's and the account's. */
function checkMetrics(
  problems: string[],
  destination: string,
  counters: Readonly<Record<NotifierMetric, number>>,
  stats: ReturnType<FaultChatServer['stats']>,
  tally: Tally,
): void {
  const agree = (what: string, metric: number, observed: number): void => {
    if (metric !== observed)
      problems.push(`${destination}: metric ${what} = ${metric}, but the account says ${observed}`);
  };
  agree('RateLimited', counters.RateLimited, stats.rateLimited);
  agree('AlertsUnconfirmed', counters.AlertsUnconfirmed, stats.slowReplies);
  agree('AlertsUnconfirmed', counters.AlertsUnconfirmed, tally.postedUnconfirmed);
  agree('AlertsPosted', counters.AlertsPosted, stats.posted - stats.slowReplies);
  agree('DeadLetters', counters.DeadLetters, tally.deadLetterEntries);
  agree('DestinationBroken', counters.DestinationBroken, stats.notFound + stats.gone);
  agree('Duplicates', counters.Duplicates, tally.duplicatesSkipped);
  agree('Retries', counters.Retries, tally.retries);
}

/** The totals over all destinations. */
export function totalsOf(destinations: readonly DestinationAccount[]): FaultMixReport['totals'] {
  const sum = (pick: (d: DestinationAccount) => number): number => destinations.reduce((n, d) => n + pick(d), 0);
  const deadLettered: Record<string, number> = {};
  for (const d of destinations) for (const [reason, n] of Object.entries(d.deadLettered)) bump(deadLettered, reason, n);
  return {
    postedOnce: sum((d) => d.postedOnce),
    postedUnconfirmed: sum((d) => d.postedUnconfirmed),
    deadLettered,
    deadLetterEntries: sum((d) => d.deadLetterEntries),
    lost: sum((d) => d.lost),
    duplicated: sum((d) => d.duplicated),
    unexpected: sum((d) => d.unexpected),
    retries: sum((d) => d.metrics.Retries),
    rateLimited: sum((d) => d.metrics.RateLimited),
    serverRateLimited: sum((d) => d.server.rateLimited),
  };
}
