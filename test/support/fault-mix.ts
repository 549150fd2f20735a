import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRelayConfig } from '../../functions/config/relay-config';
import { checkDestinationUrl } from '../../functions/chat/destination-url';
import type { DeadLetter } from '../../functions/delivery/dead-letters/dead-letter';
import type { RetryPolicy } from '../../functions/delivery/retry';
import { silentLogger, type Logger } from '../../functions/observability/logger';
import type { NotifierMetric } from '../../functions/delivery/notify-batch';
import { parsePauboxWebhook } from '../../functions/paubox/parse-webhook';
import { FileDeadLetterStore } from '../../functions/delivery/dead-letters/file-store';
import { startLocalRelay, type LocalRelay } from '../../functions/local/relay-server';
import { startFaultChatServer, type Fault, type FaultChatServer, type Platform } from './fault-chat-server';

/*
 * A reproducible mix of platform faults, played against the local relay, and an exact account of what became
 * of every (destination, event): shared by test/integration/fault-injection.test.ts and bench/faults.ts.
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

/** Fast enough for a test run; the retry rules are those of production, only the clocks are shorter. */
export const FAST_SETTINGS: FaultMixSettings = {
  retryPolicy: { baseDelayMs: 5, maxDelayMs: 40, defaultRetryAfterMs: 50 },
  // Far above a normal reply even on a loaded 2-core machine: a reply late by accident would count as unconfirmed.
  sendTimeoutMs: 1000,
  slowReplyMs: 1400,
  redeliveryDelayMs: 20,
  maxReceiveCount: 3,
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
    // Posted on the third try.
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
const RETRYABLE: ReadonlySet<Fault> = new Set<Fault>(['rate_limited', 'server_error', 'unavailable', 'reset']);
/** Faults that dead-letter at once, with the HTTP status kept in the letter. */
const NON_RETRYABLE_STATUS: Readonly<Partial<Record<Fault, number>>> = { no_service: 404, archived: 410 };

/**
 * Tries the relay handed back to be made again, for one key, given the faults the server answered in order and
 * how many of the key's copies were dead-lettered after a retryable fault: each retryable answer is handed back,
 * but the one on a copy's last receive, which is dead-lettered instead.
 */
export function expectedRetries(faults: readonly Fault[], retryableDeadLetters: number): number {
  return faults.filter((fault) => RETRYABLE.has(fault)).length - retryableDeadLetters;
}

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Exactly `count` scenarios in the proportions of the weights (largest remainder; each weighted scenario
 * at least once when count allows), in a seeded random order.
 */
export function scenarioDeck(
  count: number,
  mix: Partial<Record<ScenarioName, number>>,
  random: () => number,
): ScenarioName[] {
  const names = SCENARIO_NAMES.filter((n) => (mix[n] ?? 0) > 0);
  if (names.length === 0) throw new Error('the mix has no scenario with a positive weight');
  const total = names.reduce((sum, n) => sum + mix[n]!, 0);
  const exact = names.map((n) => ({ n, share: (mix[n]! / total) * count }));
  const counts = new Map(exact.map(({ n, share }) => [n, Math.floor(share)]));
  if (count >= names.length) for (const n of names) if (counts.get(n) === 0) counts.set(n, 1);
  let assigned = [...counts.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...exact].sort((a, b) => (b.share % 1) - (a.share % 1));
  for (let i = 0; assigned < count; i++, assigned++) {
    const { n } = byRemainder[i % byRemainder.length]!;
    counts.set(n, counts.get(n)! + 1);
  }
  while (assigned > count) {
    const [n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    counts.set(n, counts.get(n)! - 1);
    assigned--;
  }
  return shuffle(
    names.flatMap((n) => Array.from({ length: counts.get(n)! }, () => n)),
    random,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Events and duplicate webhooks

export interface MixEvent {
  readonly index: number;
  readonly body: string;
  readonly key: string;
  readonly type: 'permanent_failure' | 'temporary_failure';
}

const FIXTURES = join(__dirname, '..', 'fixtures', 'paubox');

/** `count` distinct Paubox failure webhooks (alternately permanent and temporary), each with its relay key. */
export function buildEvents(count: number, seed: number): MixEvent[] {
  const templates = (['permanent_failure', 'temporary_failure'] as const).map((type) => ({
    type,
    json: JSON.parse(readFileSync(join(FIXTURES, `${type}.json`), 'utf8')) as { payload: Record<string, unknown> },
  }));
  const seedHex = (seed >>> 0).toString(16).padStart(8, '0');
  return Array.from({ length: count }, (_, index) => {
    const { type, json } = templates[index % 2]!;
    const serial = index.toString(16).padStart(12, '0');
    const body = JSON.stringify({
      ...json,
      payload: {
        ...json.payload,
        id: 7_400_000_000 + index,
        source_tracking_id: `${seedHex}-f417-4abc-8def-${serial}`,
        header_message_id: `<fault-${seedHex}-${serial}@mail.clinic.example.com>`,
      },
    });
    const parsed = parsePauboxWebhook(JSON.parse(body));
    if (parsed.kind !== 'event') throw new Error(`event ${index} was ignored`);
    return { index, body, key: parsed.event.key, type };
  });
}

/**
 * When a repeated webhook is sent: at the same moment as the original, at the end of the stream
 * (usually while the original is still being retried), or once everything has settled.
 */
export type DuplicateTiming = 'concurrent' | 'later' | 'after_idle';

/** Which events are sent again, and when; about `rate` of them, a quarter of those twice. */
export function duplicatePlan(
  events: readonly MixEvent[],
  rate: number,
  random: () => number,
): Map<number, DuplicateTiming[]> {
  const chosen = shuffle(
    events.map((e) => e.index),
    random,
  ).slice(0, Math.round(events.length * rate));
  const patterns: DuplicateTiming[][] = [['concurrent'], ['later'], ['after_idle'], ['concurrent', 'after_idle']];
  return new Map(chosen.map((index, i) => [index, patterns[i % patterns.length]!]));
}

// ---------------------------------------------------------------------------------------------------------------
// The run

export interface FaultMixOptions {
  readonly events: number;
  readonly seed: number;
  /** Share of events whose webhook is sent more than once. @default 0.1 */
  readonly duplicateRate?: number;
  /** Webhooks in flight at once. @default 20 */
  readonly concurrency?: number;
  readonly settings?: FaultMixSettings;
  /** Scenario weights; the same mix for both platforms (each shuffled on its own). @default DEFAULT_MIX */
  readonly mix?: Partial<Record<ScenarioName, number>>;
  /** The whole run must end within this time, else it fails. @default 120000 */
  readonly timeLimitMs?: number;
  readonly logger?: Logger;
}

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

const METRIC_NAMES: readonly NotifierMetric[] = [
  'AlertsPosted',
  'AlertsUnconfirmed',
  'Duplicates',
  'DeadLetters',
  'DestinationBroken',
  'Retries',
  'RateLimited',
  'DigestsPosted',
  'DigestEvents',
];

const DESTINATIONS: readonly { name: string; platform: Platform }[] = [
  { name: 'ops-slack', platform: 'slack' },
  { name: 'ops-teams', platform: 'teams' },
];

async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function within<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not happen within the time limit`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const bump = (record: Record<string, number>, key: string, by = 1): void => {
  record[key] = (record[key] ?? 0) + by;
};

/**
 * Starts two fault servers (Slack, Teams) and the local relay routing both failure types to both, sends the
 * events (and their repeats) with bounded concurrency, waits until the relay is idle, and accounts for every
 * (destination, event). Everything listens on 127.0.0.1 and is closed before returning.
 */
export async function runFaultMix(options: FaultMixOptions): Promise<FaultMixReport> {
  const started = Date.now();
  const deadline = started + (options.timeLimitMs ?? 120_000);
  const settings = options.settings ?? FAST_SETTINGS;
  const table = scenarios(settings);
  const random = seededRandom(options.seed);
  const events = buildEvents(options.events, options.seed);
  const duplicates = duplicatePlan(events, options.duplicateRate ?? 0.1, random);
  const assigned = new Map<Platform, Map<string, ScenarioName>>();
  for (const { platform } of DESTINATIONS) {
    const deck = scenarioDeck(events.length, options.mix ?? DEFAULT_MIX, random);
    assigned.set(platform, new Map(events.map((e, i) => [e.key, deck[i]!])));
  }
  const scenarioOf = (platform: Platform, key: string): ScenarioName | undefined => assigned.get(platform)!.get(key);
  // Alerts show keys shortened; the fake platforms tell events apart by what is shown.
  const fullKeys = new Map(events.map((e) => [e.key.slice(0, 12), e.key]));

  const problems: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'fault-mix-'));
  const deadLetters = new FileDeadLetterStore(dataDir);
  const metrics = new Map<string, Record<NotifierMetric, number>>(
    DESTINATIONS.map((d) => [
      d.name,
      Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Record<NotifierMetric, number>,
    ]),
  );
  const servers = new Map<Platform, FaultChatServer>();
  let relay: LocalRelay | undefined;
  const webhookStatuses: Record<string, number> = {};
  /** Webhooks the relay accepted, per event key. */
  const accepted = new Map<string, number>();
  let duplicateWebhooksSent = 0;
  const letters = new Map<string, DeadLetter[]>();

  try {
    for (const { platform } of DESTINATIONS) {
      servers.set(
        platform,
        await startFaultChatServer({
          platform,
          slowReplyMs: settings.slowReplyMs,
          resolveKey: (shown) => fullKeys.get(shown),
          plan: (key, attempt) => {
            const name = scenarioOf(platform, key);
            if (name === undefined) return 'ok';
            const scenario = table[name];
            return scenario.faults[attempt - 1] ?? scenario.afterwards;
          },
        }),
      );
    }
    const config = parseRelayConfig(
      {
        // One event per post (the fault servers key each request by its one event) and no pacing: this mix is
        // about faults, not throughput; digests and rate limits have their own suites.
        destinations: DESTINATIONS.map((d) => ({
          name: d.name,
          kind: d.platform,
          url: servers.get(d.platform)!.url,
          digest: { batchSize: 1 },
          rateLimit: { messagesPerSecond: 1000 },
        })),
        routes: [{ events: ['permanent_failure', 'temporary_failure'], to: DESTINATIONS.map((d) => d.name) }],
      },
      'local',
      checkDestinationUrl,
    );
    const token = `fault-mix-${options.seed}`;
    relay = await startLocalRelay({
      config,
      token,
      fingerprintKey: 'fault-mix-fingerprint-key',
      logger: options.logger ?? silentLogger,
      port: 0,
      dataDir,
      deadLetters,
      retryPolicy: settings.retryPolicy,
      maxReceiveCount: settings.maxReceiveCount,
      redeliveryDelayMs: settings.redeliveryDelayMs,
      invocationBudgetMs: settings.invocationBudgetMs,
      sendTimeoutMs: settings.sendTimeoutMs,
      // The account is of alerts: relay health notices, which dead letters raise, are tested in relay-health.test.ts.
      healthNotices: false,
      metric: (destination, name, value) => {
        const counters = metrics.get(destination);
        if (counters) counters[name] += value;
        else problems.push(`metric ${name} reported for unknown destination ${destination}`);
      },
    });
    const webhookUrl = relay.webhookUrl;

    const postWebhook = async (event: MixEvent): Promise<void> => {
      let status = 'network_error';
      try {
        const response = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: event.body,
        });
        status = String(response.status);
        const reply = (await response.json()) as { id?: string };
        if (response.status === 202 && reply.id === event.key)
          accepted.set(event.key, (accepted.get(event.key) ?? 0) + 1);
        else problems.push(`webhook of event ${event.index} answered ${response.status} ${JSON.stringify(reply)}`);
      } catch (error) {
        problems.push(
          `webhook of event ${event.index} failed: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
      bump(webhookStatuses, status);
    };
    const repeats = (event: MixEvent, timing: DuplicateTiming): MixEvent[] =>
      (duplicates.get(event.index) ?? []).filter((t) => t === timing).map(() => event);

    // Wave 1: every event once (some with a repeat at the same moment), then the "later" repeats.
    const wave1: MixEvent[][] = [
      ...events.map((e) => [e, ...repeats(e, 'concurrent')]),
      ...events.flatMap((e) => repeats(e, 'later')).map((e) => [e]),
    ];
    await within(
      inPool(wave1, options.concurrency ?? 20, (group) => Promise.all(group.map(postWebhook)).then(() => undefined)),
      deadline,
      'sending the webhooks',
    );
    await within(relay.idle(), deadline, 'the relay becoming idle');
    // Wave 2: repeats of events that have settled (posted or dead-lettered).
    const wave2 = events.flatMap((e) => repeats(e, 'after_idle'));
    await within(inPool(wave2, options.concurrency ?? 20, postWebhook), deadline, 'sending the repeated webhooks');
    await within(relay.idle(), deadline, 'the relay becoming idle after the repeats');
    duplicateWebhooksSent = wave1.reduce((n, group) => n + group.length, 0) - events.length + wave2.length;

    for (const { name } of DESTINATIONS) {
      for (const letter of await deadLetters.list(name)) {
        letters.set(`${name}#${letter.eventKey}`, [...(letters.get(`${name}#${letter.eventKey}`) ?? []), letter]);
      }
    }
  } finally {
    await relay?.close().catch(() => undefined);
    await Promise.all([...servers.values()].map((s) => s.close()));
    rmSync(dataDir, { recursive: true, force: true });
  }

  // -------------------------------------------------------------------------------------------------------------
  // The account
  const knownKeys = new Set(events.map((e) => e.key));
  const destinations: DestinationAccount[] = DESTINATIONS.map(({ name: destination, platform }) => {
    const server = servers.get(platform)!;
    const counters = metrics.get(destination)!;
    const deadLettered: Record<string, number> = {};
    const scenarioCounts: Partial<Record<ScenarioName, number>> = {};
    let postedOnce = 0;
    let postedUnconfirmed = 0;
    let deadLetterEntries = 0;
    let lost = 0;
    let duplicated = 0;
    let unexpected = 0;
    let retries = 0;
    let duplicatesSkipped = 0;
    let minRetryAfterGapMs: number | undefined;
    const fail = (event: MixEvent, scenario: ScenarioName, what: string): void => {
      problems.push(`${destination}: event ${event.index} (${event.key}, scenario ${scenario}) ${what}`);
    };

    for (const event of events) {
      const scenarioName = scenarioOf(platform, event.key)!;
      const scenario = table[scenarioName];
      bump(scenarioCounts, scenarioName);
      const copies = accepted.get(event.key) ?? 0;
      const attempts = server.attemptsOf(event.key);
      const posts = server.postCount(event.key);
      const own = letters.get(`${destination}#${event.key}`) ?? [];
      deadLetterEntries += own.length;
      const retryableReasons = new Set([...RETRYABLE].map((fault) => EXPECTED_REASONS[platform][fault]));
      retries += expectedRetries(
        attempts.map((a) => a.fault),
        own.filter((letter) => retryableReasons.has(letter.reason)).length,
      );
      for (let i = 0; i + 1 < attempts.length; i++) {
        if (attempts[i]!.fault !== 'rate_limited') continue;
        const gap = attempts[i + 1]!.at - attempts[i]!.at;
        minRetryAfterGapMs = Math.min(minRetryAfterGapMs ?? gap, gap);
        // Timers may fire a millisecond early relative to the server's clock readings.
        if (gap < RETRY_AFTER_MS - 5)
          fail(event, scenarioName, `was sent again ${gap} ms after a 429 with Retry-After: 1`);
      }

      if (posts === 0 && own.length === 0) {
        lost++;
        fail(event, scenarioName, `is lost: not posted, not dead-lettered (${attempts.length} attempts)`);
        continue;
      }
      if (posts > 1 || (posts > 0 && own.length > 0)) {
        duplicated++;
        fail(event, scenarioName, `is duplicated: posted ${posts} times, ${own.length} dead letters`);
        continue;
      }
      if (posts === 1) {
        const postedBy = attempts.filter((a) => a.fault === 'ok' || a.fault === 'slow');
        const unconfirmed = postedBy[0]?.fault === 'slow';
        if (unconfirmed) postedUnconfirmed++;
        else postedOnce++;
        duplicatesSkipped += copies - 1;
        const observed: Expectation = unconfirmed ? 'unconfirmed' : 'posted';
        if (observed !== scenario.expect) {
          unexpected++;
          fail(event, scenarioName, `expected ${scenario.expect}, was ${observed}`);
        }
        continue;
      }
      // Dead-lettered only.
      for (const reason of new Set(own.map((l) => l.reason))) bump(deadLettered, reason);
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
        unexpected++;
        fail(
          event,
          scenarioName,
          `expected ${scenario.expect}, was dead-lettered (${own.map((l) => l.reason).join(', ')})`,
        );
      } else if (wrong.length > 0) {
        unexpected++;
        fail(
          event,
          scenarioName,
          `dead-lettered as ${wrong.map((l) => `${l.reason}/${l.status ?? '-'}`).join(', ')}, expected ${reason}/${status ?? '-'}`,
        );
      } else if (own.length > copies) {
        unexpected++;
        fail(event, scenarioName, `has ${own.length} dead letters for ${copies} webhooks`);
      }
    }

    for (const [key, count] of server.postCounts()) {
      if (!knownKeys.has(key)) problems.push(`${destination}: posted an event nobody sent (${key}) ${count} time(s)`);
    }
    for (const [id, own] of letters) {
      const [dest, key] = id.split('#') as [string, string];
      if (dest === destination && !knownKeys.has(key))
        problems.push(`${destination}: ${own.length} dead letter(s) for an unknown event ${key}`);
    }
    const stats = server.stats();
    if (stats.unkeyed > 0) problems.push(`${destination}: ${stats.unkeyed} request(s) carried no event key`);

    // The relay's own counters against the fake platform's.
    const agree = (what: string, metric: number, observed: number): void => {
      if (metric !== observed)
        problems.push(`${destination}: metric ${what} = ${metric}, but the account says ${observed}`);
    };
    agree('RateLimited', counters.RateLimited, stats.rateLimited);
    agree('AlertsUnconfirmed', counters.AlertsUnconfirmed, stats.slowReplies);
    agree('AlertsUnconfirmed', counters.AlertsUnconfirmed, postedUnconfirmed);
    agree('AlertsPosted', counters.AlertsPosted, stats.posted - stats.slowReplies);
    agree('DeadLetters', counters.DeadLetters, deadLetterEntries);
    agree('DestinationBroken', counters.DestinationBroken, stats.notFound + stats.gone);
    agree('Duplicates', counters.Duplicates, duplicatesSkipped);
    agree('Retries', counters.Retries, retries);

    return {
      destination,
      platform,
      events: events.length,
      postedOnce,
      postedUnconfirmed,
      deadLettered,
      deadLetterEntries,
      lost,
      duplicated,
      unexpected,
      metrics: { ...counters },
      expected: { retries, duplicatesSkipped },
      server: stats,
      minRetryAfterGapMs,
      scenarios: scenarioCounts,
    };
  });

  const sum = (pick: (d: DestinationAccount) => number): number => destinations.reduce((n, d) => n + pick(d), 0);
  const deadLettered: Record<string, number> = {};
  for (const d of destinations) for (const [reason, n] of Object.entries(d.deadLettered)) bump(deadLettered, reason, n);
  return {
    seed: options.seed,
    settings,
    eventsSent: events.length,
    duplicateWebhooksSent,
    webhookStatuses,
    durationMs: Date.now() - started,
    destinations,
    totals: {
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
    },
    problems,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Presentation

/** The report as an aligned text table, one column per destination plus the total. */
export function formatReport(report: FaultMixReport): string {
  const { destinations: ds, totals } = report;
  const reasons = [...new Set(ds.flatMap((d) => Object.keys(d.deadLettered)))].sort();
  const rows: [string, ...(string | number)[]][] = [
    ['events sent', ...ds.map((d) => d.events), report.eventsSent],
    ['webhook duplicates sent', ...ds.map(() => ''), report.duplicateWebhooksSent],
    ['posted once (confirmed)', ...ds.map((d) => d.postedOnce), totals.postedOnce],
    ['posted unconfirmed (slow reply)', ...ds.map((d) => d.postedUnconfirmed), totals.postedUnconfirmed],
    ...reasons.map((r): [string, ...number[]] => [
      `dead-lettered: ${r}`,
      ...ds.map((d) => d.deadLettered[r] ?? 0),
      totals.deadLettered[r] ?? 0,
    ]),
    ['dead letters in store (entries)', ...ds.map((d) => d.deadLetterEntries), totals.deadLetterEntries],
    ['lost', ...ds.map((d) => d.lost), totals.lost],
    ['duplicated', ...ds.map((d) => d.duplicated), totals.duplicated],
    ['unexpected outcome', ...ds.map((d) => d.unexpected), totals.unexpected],
    ['retries made (metric)', ...ds.map((d) => d.metrics.Retries), totals.retries],
    ['retries expected (server)', ...ds.map((d) => d.expected.retries), sumOf(ds, (d) => d.expected.retries)],
    ['429s received (metric)', ...ds.map((d) => d.metrics.RateLimited), totals.rateLimited],
    ['429s sent (server)', ...ds.map((d) => d.server.rateLimited), totals.serverRateLimited],
    ['min wait after 429 (ms)', ...ds.map((d) => d.minRetryAfterGapMs ?? '-'), ''],
    ['duplicates skipped (metric)', ...ds.map((d) => d.metrics.Duplicates), sumOf(ds, (d) => d.metrics.Duplicates)],
    ['requests to platform', ...ds.map((d) => d.server.requests), sumOf(ds, (d) => d.server.requests)],
  ];
  const header = ['', ...ds.map((d) => `${d.destination} (${d.platform})`), 'total'];
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const statuses = Object.entries(report.webhookStatuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(', ');
  return [
    `fault mix: seed ${report.seed}, ${report.eventsSent} events, ${report.durationMs} ms; webhook replies: ${statuses}`,
    line(cells[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.slice(1).map(line),
    report.problems.length === 0
      ? 'no discrepancies'
      : `${report.problems.length} discrepancies:\n  ${report.problems.join('\n  ')}`,
  ].join('\n');
}

function sumOf(ds: readonly DestinationAccount[], pick: (d: DestinationAccount) => number): number {
  return ds.reduce((n, d) => n + pick(d), 0);
}
