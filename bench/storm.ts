/**
 * Bounce-storm benchmark: 10,000 failure webhooks over 60 s against a fake Slack on 127.0.0.1 that accepts one
 * message a second and answers 429 with Retry-After beyond it. In the same run, the same storm goes through the
 * relay with storm control (batching window, digests, pacing) and through a naive relay (no window, one post per
 * event, no pacing: the relay as it was before storm control), each against its own fake Slack.
 *
 * Time is simulated (see bench/simulated-clock.ts): the relays, their retries and the fake Slack's rate limit all
 * run on one simulated clock, which jumps ahead whenever nothing real is under way. Everything else is real: the
 * ingest code, the local relay's queue, notifyBatch, the renderers, @slack/webhook and HTTP on 127.0.0.1.
 *
 *   npm run bench:storm [-- --events 10000 --seconds 60 --window 10]
 *
 * Prints a table and writes it as JSON to bench/results/storm.json. Exits 1 when storm control misses a target
 * (at most one request a second, no 429, every event visible within the window plus 5 s after the storm, none
 * unaccounted for, none shown twice), 2 when the run failed.
 */
import { parseArgs } from 'node:util';
import { parseRelayConfig, type DestinationConfig } from '../functions/config';
import { checkDestinationUrl, DEFAULT_SEND_TIMEOUT_MS, type AlertSender, createSender } from '../functions/chat';
import {
  type DeadLetter,
  MemoryDedupStore,
  type DedupStore,
  DEFAULT_RETRY_POLICY,
  type NotifierMetric,
  MemoryPacer,
  type PostPacer,
} from '../functions/delivery';
import { handleWebhook } from '../functions/ingest';
import { silentLogger } from '../functions/observability';
import { filterPolicyFor } from '../functions/routing';
import { LocalFanout } from '../functions/local';
import { DEFAULT_THROTTLING_RATE_LIMIT } from '../lib';
import { startRateLimitedChatServer } from '../test/support/rate-limited-chat-server';
import { stormWebhook } from '../test/support/storm-webhooks';
import { SimulatedClock } from './simulated-clock';
import { runBench, writeResults } from './results';

const TOKEN = 'storm-bench-token';
const START = Date.parse('2026-11-20T14:00:00Z');
/** Sender domains of the storm and their shares: one list gone bad, two others bouncing along. */
const SENDER_DOMAINS = ['mail.clinic.example.com', 'billing.example.com', 'news.example.org'];
const ROUTES = [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops'] }];
/** Beyond this much real time, the run is reported as failed. */
const REAL_TIME_LIMIT_MS = 300_000;

type Mode = 'storm-control' | 'naive';

interface RunResult {
  readonly mode: Mode;
  readonly config: { readonly windowSeconds: number; readonly batchSize: number; readonly paced: boolean };
  readonly eventsRouted: number;
  readonly chatPosts: number;
  readonly digests: number;
  /** Requests to the fake Slack, accepted or not. */
  readonly requests: number;
  readonly rateLimited: number;
  /** Most requests that reached the fake Slack within any one second. */
  readonly maxRequestsPerSecond: number;
  /** From the last webhook to the last post that showed an event, simulated seconds. */
  readonly lastVisibleAfterStormSeconds: number;
  /** Longest time from an event's webhook until the post that showed it, simulated seconds. */
  readonly slowestEventSeconds: number;
  /** Sum of the events shown by the posts (1 per alert, N per digest). */
  readonly eventsShown: number;
  readonly deadLettered: number;
  /** Neither shown nor dead-lettered. */
  readonly unaccounted: number;
  /** Shown more than once. */
  readonly shownTwice: number;
  readonly simulatedSeconds: number;
  readonly realSeconds: number;
}

/** A fake Slack requests counter within any sliding window of 1,000 ms. */
function maxPerSecond(times: readonly number[]): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0, j = 0; i < sorted.length; i++) {
    while (sorted[i]! - sorted[j]! >= 1000) j++;
    best = Math.max(best, i - j + 1);
  }
  return best;
}

/** Stands for "no rate limit": every post may go at once. */
const unpaced = (clock: SimulatedClock): PostPacer => ({
  reserve: async () => clock.now(),
  holdUntil: async () => undefined,
});

async function runStorm(mode: Mode, events: number, seconds: number, windowSeconds: number): Promise<RunResult> {
  const realStart = Date.now();
  const clock = new SimulatedClock(START);
  const slack = await startRateLimitedChatServer({ platform: 'slack', now: () => clock.now() });
  try {
    const digest = mode === 'storm-control' ? { windowSeconds } : { windowSeconds: 0, batchSize: 1 };
    const config = parseRelayConfig(
      { destinations: [{ name: 'ops', kind: 'slack', url: slack.url, digest }], routes: ROUTES },
      'local',
      checkDestinationUrl,
    );
    const destination: DestinationConfig = config.destinations[0]!;

    // The real Slack sender; the clock stands still while a request is under way.
    const real = createSender('slack', slack.url, { timeoutMs: DEFAULT_SEND_TIMEOUT_MS });
    const sender: AlertSender = { kind: real.kind, send: (view) => clock.track(() => real.send(view)) };

    // Remember when each event's post went out (a confirm follows its post at the same simulated instant).
    const memory = new MemoryDedupStore(() => clock.now());
    const postedAt = new Map<string, number[]>();
    const dedup: DedupStore = {
      claim: (d, key, leaseMs) => memory.claim(d, key, leaseMs),
      release: (d, key) => memory.release(d, key),
      async confirm(d, key, state) {
        if (state === 'posted') postedAt.set(key, [...(postedAt.get(key) ?? []), clock.now()]);
        return memory.confirm(d, key, state);
      },
    };
    const letters: DeadLetter[] = [];
    const metrics: Partial<Record<NotifierMetric, number>> = {};

    const fanout = new LocalFanout({
      destinations: [
        {
          name: destination.name,
          detail: destination.detail,
          policy: filterPolicyFor(destination.name, config.routes)!,
          sender,
          digest: destination.digest,
        },
      ],
      fingerprintKey: 'storm-bench-fingerprint-key',
      logger: silentLogger,
      dedup,
      deadLetters: { put: async (letter) => void letters.push(letter) },
      retryPolicy: DEFAULT_RETRY_POLICY,
      sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
      maxReceiveCount: 5,
      redeliveryDelayMs: 1000,
      invocationBudgetMs: 30_000,
      metric: (_, name, value) => (metrics[name] = (metrics[name] ?? 0) + value),
      clock,
      ...(mode === 'naive' ? { pacer: unpaced(clock) } : { pacer: new MemoryPacer(() => clock.now()) }),
    });

    // The storm: evenly spread over `seconds`, through the real ingest code, straight into the local queue.
    const receivedAt = new Map<string, number>();
    const statuses: Record<number, number> = {};
    const spacing = (seconds * 1000) / events;
    const storm = (async () => {
      for (let i = 0; i < events; i++) {
        const due = START + Math.round(i * spacing);
        if (due > clock.now()) await clock.sleep(due - clock.now());
        const domain = SENDER_DOMAINS[i % 10 < 7 ? 0 : i % 10 < 9 ? 1 : 2]!;
        const response = await handleWebhook(
          { token: TOKEN, body: stormWebhook(i, domain, i % 5 === 0), receivedAt: new Date(clock.now()) },
          { expectedTokens: async () => [TOKEN], publisher: fanout, logger: silentLogger },
        );
        statuses[response.statusCode] = (statuses[response.statusCode] ?? 0) + 1;
        const id = (response.body as { id?: string }).id;
        if (id !== undefined) receivedAt.set(id, clock.now());
      }
      return clock.now();
    })();
    const stormEnd = await clock.run(storm);
    await clock.run(fanout.idle());
    if (statuses[202] !== events)
      throw new Error(`ingest answered ${JSON.stringify(statuses)}; expected ${events} × 202`);

    const dead = new Set(letters.map((l) => l.eventKey));
    const shownTwice = [...postedAt.values()].filter((times) => times.length > 1).length;
    const unaccounted = [...receivedAt.keys()].filter((key) => !postedAt.has(key) && !dead.has(key)).length;
    let slowest = 0;
    for (const [key, at] of receivedAt) {
      const posted = postedAt.get(key)?.[0];
      if (posted !== undefined) slowest = Math.max(slowest, posted - at);
    }
    const lastPost = Math.max(...slack.accepted.map((p) => p.at));
    return {
      mode,
      config: {
        windowSeconds: destination.digest.windowSeconds,
        batchSize: destination.digest.batchSize,
        paced: mode === 'storm-control',
      },
      eventsRouted: receivedAt.size,
      chatPosts: slack.accepted.length,
      digests: slack.accepted.filter((p) => p.digest).length,
      requests: slack.accepted.length + slack.rejected.length,
      rateLimited: slack.rejected.length,
      maxRequestsPerSecond: maxPerSecond([...slack.accepted.map((p) => p.at), ...slack.rejected]),
      lastVisibleAfterStormSeconds: (lastPost - stormEnd) / 1000,
      slowestEventSeconds: slowest / 1000,
      eventsShown: slack.eventsShown(),
      deadLettered: dead.size,
      unaccounted,
      shownTwice,
      simulatedSeconds: (clock.now() - START) / 1000,
      realSeconds: (Date.now() - realStart) / 1000,
    };
  } finally {
    await slack.close();
  }
}

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min ${s} s` : `${m} min ${s} s`;
}

const n = (value: number): string => value.toLocaleString('en-US');

function table(runs: readonly RunResult[]): string {
  const rows: [string, (r: RunResult) => string][] = [
    ['events routed', (r) => n(r.eventsRouted)],
    ['chat posts', (r) => `${n(r.chatPosts)}${r.digests > 0 ? ` (${n(r.digests)} digests)` : ''}`],
    ['requests to Slack', (r) => n(r.requests)],
    ['most requests in any 1 s', (r) => n(r.maxRequestsPerSecond)],
    ['429s received', (r) => n(r.rateLimited)],
    ['last event visible after storm end', (r) => duration(r.lastVisibleAfterStormSeconds)],
    ['slowest event, webhook to chat', (r) => duration(r.slowestEventSeconds)],
    ['events shown (sum of post counts)', (r) => n(r.eventsShown)],
    ['events dead-lettered', (r) => n(r.deadLettered)],
    ['events not accounted for', (r) => n(r.unaccounted)],
    ['events shown twice', (r) => n(r.shownTwice)],
    ['simulated time / real time', (r) => `${duration(r.simulatedSeconds)} / ${r.realSeconds.toFixed(1)} s`],
  ];
  const headers = runs.map((r) =>
    r.mode === 'storm-control' ? `storm control (window ${r.config.windowSeconds} s)` : 'naive (one post per event)',
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  const columns = runs.map((r, i) => Math.max(headers[i]!.length, ...rows.map(([, value]) => value(r).length)));
  const line = (label: string, cells: string[]) =>
    `${label.padEnd(width)}  ${cells.map((c, i) => c.padStart(columns[i]!)).join('  ')}`;
  return [line('', headers), ...rows.map(([label, value]) => line(label, runs.map(value)))].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '60' },
      window: { type: 'string', default: '10' },
    },
  });
  const events = Number(values.events);
  const seconds = Number(values.seconds);
  const windowSeconds = Number(values.window);
  if (
    !Number.isInteger(events) ||
    events < 1 ||
    !(seconds > 0) ||
    !Number.isInteger(windowSeconds) ||
    windowSeconds < 0 ||
    windowSeconds > 300
  ) {
    console.error('usage: bench:storm [--events N] [--seconds S] [--window 0..300]');
    return 2;
  }
  const timer = setTimeout(() => {
    console.error(`bench:storm did not finish within ${REAL_TIME_LIMIT_MS / 1000} s of real time`);
    process.exit(2);
  }, REAL_TIME_LIMIT_MS);

  console.log(
    `bench:storm: ${n(events)} failure webhooks over ${seconds} s (simulated clock), to a fake Slack on 127.0.0.1 ` +
      'that accepts 1 message/s and answers 429 with Retry-After beyond it\n',
  );
  const runs = [
    await runStorm('storm-control', events, seconds, windowSeconds),
    await runStorm('naive', events, seconds, windowSeconds),
  ];
  clearTimeout(timer);
  console.log(table(runs));

  const control = runs[0]!;
  const targets: [string, boolean][] = [
    // Deployed, webhooks beyond the stage's throttle get 429 and are lost (Paubox does not retry).
    [
      `the storm (${Math.ceil(events / seconds)} webhooks/s) fits the API's default throttle (${DEFAULT_THROTTLING_RATE_LIMIT}/s)`,
      events / seconds <= DEFAULT_THROTTLING_RATE_LIMIT,
    ],
    ['at most 1 request to Slack per second', control.maxRequestsPerSecond <= 1],
    ['no 429', control.rateLimited === 0],
    [
      `every event visible within the window + 5 s (${windowSeconds + 5} s) after the storm`,
      control.lastVisibleAfterStormSeconds <= windowSeconds + 5,
    ],
    ['0 events unaccounted for', control.unaccounted === 0],
    [
      'posts add up: events shown = events routed, none twice',
      control.eventsShown === control.eventsRouted && control.shownTwice === 0,
    ],
  ];
  console.log(
    `\ntargets (storm control):\n${targets.map(([what, ok]) => `  ${ok ? 'PASS' : 'FAIL'}  ${what}`).join('\n')}`,
  );

  writeResults('storm', {
    events,
    seconds,
    windowSeconds,
    clock: 'simulated',
    runs,
    targets: Object.fromEntries(targets),
  });
  return targets.every(([, ok]) => ok) ? 0 : 1;
}

runBench(main);
