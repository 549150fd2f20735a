import { parseRelayConfig, type DestinationConfig } from '../functions/config';
import { checkDestinationUrl } from '../functions/chat';
import type { DeadLetter } from '../functions/delivery';
import { MemoryDedupStore, type DedupStore } from '../functions/delivery';
import { DEFAULT_RETRY_POLICY } from '../functions/delivery';
import { handleWebhook } from '../functions/ingest';
import { silentLogger } from '../functions/observability';
import type { NotifierMetric } from '../functions/delivery';
import { MemoryPacer, type PostPacer } from '../functions/delivery';
import { filterPolicyFor } from '../functions/routing';
import { DEFAULT_SEND_TIMEOUT_MS, type AlertSender } from '../functions/chat';
import { createSender } from '../functions/chat';
import { LocalFanout } from '../functions/local';
import { startRateLimitedChatServer } from '../test/support/rate-limited-chat-server';
import { stormWebhook } from '../test/support/storm-webhooks';
import { SimulatedClock } from './simulated-clock';

/*
 * One run of the bounce-storm benchmark, on a simulated clock: the storm through the relay with storm control, or
 * through a naive relay, against its own fake Slack; and what became of every event.
 */

const TOKEN = 'storm-bench-token';
const START = Date.parse('2026-11-20T14:00:00Z');
/** Sender domains of the storm and their shares: one list gone bad, two others bouncing along. */
const SENDER_DOMAINS = ['mail.clinic.example.com', 'billing.example.com', 'news.example.org'];
const ROUTES = [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops'] }];

export type Mode = 'storm-control' | 'naive';

export interface RunResult {
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

export async function runStorm(mode: Mode, events: number, seconds: number, windowSeconds: number): Promise<RunResult> {
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
