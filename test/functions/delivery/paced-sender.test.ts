import { MAX_POSTS_PER_BATCH, type ChatView } from '../../../functions/alerts';
import { type AlertSender, DeliveryError } from '../../../functions/chat';
import { MAX_IN_FLIGHT, PacedSender, type PacingOptions } from '../../../functions/delivery/paced-sender';
import { MAX_SLOW_POSTS, SLOW_REPLY_MS } from '../../../functions/delivery/send-gate';
import { MemoryPacer } from '../../../functions/delivery/pacing/memory-pacer';
import type { PostPacer } from '../../../functions/delivery/pacing/pacer';
import { NO_SEND_SLOT, RATE_LIMIT_PAUSE } from '../../../functions/delivery/retry';
import { captureLogger } from '../../support/capture-logger';

/* The paced sender on a simulated clock: `sleep` moves it, and a sender's reply may take time. */

const VIEW = { key: 'v' } as unknown as ChatView;
const POLICY = { baseDelayMs: 100, maxDelayMs: 1000, defaultRetryAfterMs: 1000 };

type Reply = 'ok' | 'rate_limited' | 'slow';

function harness(
  options: { kind?: AlertSender['kind']; budgetMs?: number; pacing?: (p: PostPacer) => PacingOptions } = {},
) {
  const clock = { now: Date.parse('2026-11-20T15:00:00Z') };
  const deadline = clock.now + (options.budgetMs ?? 30_000);
  const pacer = new MemoryPacer(() => clock.now);
  const logger = captureLogger();
  const metrics: [string, number][] = [];
  const sends: number[] = [];
  const replies: Reply[] = [];
  const platform: AlertSender = {
    kind: options.kind ?? 'slack',
    async send() {
      sends.push(clock.now);
      const reply = replies.shift() ?? 'ok';
      if (reply === 'slow') clock.now += 700;
      if (reply === 'rate_limited') throw new DeliveryError('rate_limited', true, 429, 2);
    },
  };
  const make = (pacedBy: PostPacer = pacer) =>
    new PacedSender(platform, {
      destination: 'ops',
      budget: {
        policy: POLICY,
        remainingMs: () => deadline - clock.now,
        sendTimeoutMs: 1000,
        sleep: async (ms) => {
          clock.now += ms;
        },
        random: () => 0.5,
      },
      ...(options.pacing ? { pacing: options.pacing(pacedBy) } : {}),
      now: () => clock.now,
      logger,
      metric: (name, value) => void metrics.push([name, value]),
    });
  const since = (start: number) => sends.map((t) => t - start);
  return { clock, pacer, logger, metrics, sends, replies, make, since };
}

describe('PacedSender', () => {
  it('sends one interval apart at the platform default rate (1 a second, and the margin)', async () => {
    const h = harness({ pacing: (pacer) => ({ pacer }) });
    const sender = h.make();
    const start = h.clock.now;
    for (let i = 0; i < 3; i++) {
      expect(await sender.deliver(VIEW)).toEqual({
        kind: 'posted',
        attempts: 1,
        rateLimited: 0,
        unconfirmed: false,
      });
    }
    expect(h.since(start)).toEqual([0, 1100, 2200]);
  });

  it('uses the configured rate', async () => {
    const h = harness({ pacing: (pacer) => ({ pacer, messagesPerSecond: 4 }) });
    const sender = h.make();
    const start = h.clock.now;
    for (let i = 0; i < 3; i++) await sender.deliver(VIEW);
    expect(h.since(start)).toEqual([0, 275, 550]);
  });

  it('holds the destination one interval after a slow reply, not only after the request', async () => {
    const h = harness({ pacing: (pacer) => ({ pacer }) });
    h.replies.push('slow');
    const sender = h.make();
    const start = h.clock.now;
    await sender.deliver(VIEW);
    await sender.deliver(VIEW);
    expect(h.since(start)).toEqual([0, 1800]);
  });

  it('hands a 429 back for its Retry-After, and makes every other notifier of the destination wait as long', async () => {
    const h = harness({ pacing: (pacer) => ({ pacer }) });
    h.replies.push('rate_limited');
    const start = h.clock.now;
    expect(await h.make().deliver(VIEW)).toEqual({
      kind: 'retry_later',
      attempts: 1,
      rateLimited: 1,
      reason: 'rate_limited',
      notBeforeMs: 2000,
    });
    // Another invocation sharing the pacer: its first slot is after the Retry-After.
    await h.make().deliver(VIEW);
    expect(h.since(start)).toEqual([0, 2000]);
    expect(h.metrics).toEqual([['RateLimited', 1]]);
  });

  it('waits out a 429 pause before its next post even when the pacer does not hold the destination', async () => {
    const h = harness({ pacing: (pacer) => ({ pacer }) });
    // A pacer that cannot hold: every slot is now.
    const forgetful: PostPacer = { reserve: async () => h.clock.now, holdUntil: async () => undefined };
    const sender = h.make(forgetful);
    h.replies.push('rate_limited');
    const start = h.clock.now;
    expect((await sender.deliver(VIEW)).kind).toBe('retry_later');
    expect((await sender.deliver(VIEW)).kind).toBe('posted');
    expect(h.since(start)).toEqual([0, 2000]);
  });

  it('gives a post whose turn comes during a 429 pause back unsent when asked to step aside', async () => {
    const h = harness({ pacing: (pacer) => ({ pacer }) });
    const sender = h.make();
    h.replies.push('rate_limited');
    await sender.deliver(VIEW);
    expect(await sender.deliver(VIEW, 1, undefined, true)).toEqual({
      kind: 'retry_later',
      attempts: 0,
      rateLimited: 0,
      reason: RATE_LIMIT_PAUSE,
      notBeforeMs: 2000,
    });
    expect(h.sends).toHaveLength(1);
  });

  it('lets the next post start while one awaits a slow reply: MAX_IN_FLIGHT prompt ones, slow ones up to a bound', async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let clock = 0;
    const started: [string, number][] = [];
    const slow: AlertSender = {
      kind: 'slack',
      async send(view) {
        started.push([view.key, clock]);
        await gate;
      },
    };
    const sender = new PacedSender(slow, {
      destination: 'ops',
      budget: {
        policy: POLICY,
        remainingMs: () => 30_000,
        sendTimeoutMs: 10_000,
        // Time passes once everything due now has run.
        sleep: (ms) =>
          new Promise((resolve) =>
            setImmediate(() => {
              clock += ms;
              resolve();
            }),
          ),
        random: () => 0.5,
      },
      now: () => clock,
      logger: captureLogger(),
      metric: () => undefined,
    });
    const keys = Array.from({ length: 20 }, (_, i) => `k${i}`);
    const all = Promise.all(keys.map((key) => sender.deliver({ key } as unknown as ChatView)));
    for (let turn = 0; turn < 100; turn++) await new Promise((resolve) => setImmediate(resolve));
    // The first ones at once; each later one only once a post before it has been waiting SLOW_REPLY_MS.
    expect(started.slice(0, MAX_IN_FLIGHT)).toEqual(keys.slice(0, MAX_IN_FLIGHT).map((key) => [key, 0]));
    expect(started[MAX_IN_FLIGHT]).toEqual([keys[MAX_IN_FLIGHT], SLOW_REPLY_MS]);
    // In order, and bounded while no reply comes: the rest wait for one.
    expect(started.map(([key]) => key)).toEqual(keys.slice(0, started.length));
    expect(started.length).toBeGreaterThan(MAX_SLOW_POSTS);
    expect(started.length).toBeLessThanOrEqual(MAX_IN_FLIGHT + MAX_SLOW_POSTS);
    release();
    expect((await all).map((o) => o.kind)).toEqual(keys.map(() => 'posted'));
    expect(started.map(([key]) => key)).toEqual(keys);
  });

  it('hands a post back unsent when no send slot starts within the time left', async () => {
    const h = harness({ budgetMs: 2000, pacing: (pacer) => ({ pacer }) });
    const sender = h.make();
    expect((await sender.deliver(VIEW)).kind).toBe('posted');
    // The next slot, 1.1 s on, leaves less than a send's timeout before the deadline.
    expect(await sender.deliver(VIEW)).toEqual({
      kind: 'retry_later',
      attempts: 0,
      rateLimited: 0,
      reason: NO_SEND_SLOT,
    });
    expect(h.sends).toHaveLength(1);
  });

  it('hands a post back unsent, and says so, when the pacer cannot be reached', async () => {
    const down: PostPacer = {
      reserve: async () => {
        throw new Error('throttled');
      },
      holdUntil: async () => undefined,
    };
    const h = harness({ pacing: (pacer) => ({ pacer }) });
    const outcome = await h.make(down).deliver(VIEW);
    expect(outcome).toEqual({ kind: 'retry_later', attempts: 0, rateLimited: 0, reason: NO_SEND_SLOT });
    expect(h.sends).toEqual([]);
    expect(h.logger.lines).toEqual([
      {
        level: 'warn',
        message: 'could not reserve a send slot; will retry',
        fields: { destination: 'ops', reason: 'error_Error' },
      },
    ]);
  });

  it('still reports a post as posted when holding the destination afterwards fails', async () => {
    const h = harness({ pacing: (pacer) => ({ pacer }) });
    const flaky: PostPacer = {
      reserve: (destination, interval, latest) => h.pacer.reserve(destination, interval, latest),
      holdUntil: async () => {
        throw new Error('throttled');
      },
    };
    expect((await h.make(flaky).deliver(VIEW)).kind).toBe('posted');
  });

  it('sends as fast as posts come without pacing, or to the console', async () => {
    for (const h of [harness(), harness({ kind: 'console', pacing: (pacer) => ({ pacer }) })]) {
      const reserve = jest.spyOn(h.pacer, 'reserve');
      const sender = h.make();
      const start = h.clock.now;
      for (let i = 0; i < 3; i++) await sender.deliver(VIEW);
      expect(h.since(start)).toEqual([0, 0, 0]);
      expect(reserve).not.toHaveBeenCalled();
      expect(sender.maxPosts()).toBe(MAX_POSTS_PER_BATCH);
    }
  });

  it('plans no more posts than fit in the time left at its rate', () => {
    const postsThatFit = (budgetMs: number) =>
      harness({ budgetMs, pacing: (pacer) => ({ pacer }) })
        .make()
        .maxPosts();
    // A post may start while a send's timeout (1 s) is left; one each 1.1 s after the first.
    expect(postsThatFit(5_000)).toBe(4);
    expect(postsThatFit(500)).toBe(1);
    expect(postsThatFit(60_000)).toBe(MAX_POSTS_PER_BATCH);
  });

  it('lets a backlog out in as many posts as its rate allows within a while, at least one', () => {
    const paced = harness({ budgetMs: 60_000, pacing: (pacer) => ({ pacer }) }).make();
    // One each 1.1 s: a second's backlog is one post, ten seconds' nine.
    expect(paced.postsWithin(1_000)).toBe(1);
    expect(paced.postsWithin(10_000)).toBe(9);
    expect(harness().make().postsWithin(1_000)).toBe(MAX_POSTS_PER_BATCH);
  });
});
