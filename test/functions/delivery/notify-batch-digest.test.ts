import fc from 'fast-check';
import { isDigestView, type ChatView } from '../../../functions/alerts';
import type { DeadLetter } from '../../../functions/delivery/dead-letters/dead-letter';
import { MemoryDedupStore } from '../../../functions/delivery/dedup/memory-store';
import { NO_SEND_SLOT, type RetryPolicy } from '../../../functions/delivery/retry';
import { MAX_BATCH_SIZE } from '../../../functions/config';
import { silentLogger } from '../../../functions/observability';
import {
  notifyBatch,
  type BatchOutcome,
  type NotifierMetric,
  type NotifyDeps,
  type QueuedRecord,
} from '../../../functions/delivery/notify-batch';
import { MemoryPacer } from '../../../functions/delivery/pacing/memory-pacer';
import type { RelayEvent } from '../../../functions/paubox';
import { type AlertSender, DeliveryError } from '../../../functions/chat';
import { stormEvents } from '../../support/storm-events';

/*
 * notifyBatch with digests: every event of a batch is claimed, shown in exactly one post, confirmed once that post
 * went out, and never shown twice however batches are redelivered. Time is simulated: `sleep` moves the clock.
 */

const POLICY: RetryPolicy = { baseDelayMs: 100, maxDelayMs: 1000, defaultRetryAfterMs: 1000 };
const DESTINATION = 'ops';

type Reply = 'ok' | 'unavailable' | 'rate_limited' | 'no_service' | 'timeout';

interface Harness {
  readonly deps: NotifyDeps;
  readonly dedup: MemoryDedupStore;
  /** Views that reached the channel (answered ok, or sent and timed out), with the time they were sent. */
  readonly shown: { view: ChatView; at: number }[];
  readonly requests: { view: ChatView; at: number; reply: Reply }[];
  readonly letters: DeadLetter[];
  readonly metrics: Partial<Record<NotifierMetric, number>>;
  /** `startInvocation` gives the next batch a fresh 30 s budget, as a new Lambda invocation. */
  readonly clock: { now: number; startInvocation(): void };
}

function harness(
  reply: (view: ChatView, request: number) => Reply = () => 'ok',
  overrides: Partial<NotifyDeps> = {},
): Harness {
  const clock = { now: Date.parse('2026-11-20T15:00:00Z') };
  const dedup = new MemoryDedupStore(() => clock.now);
  const shown: Harness['shown'] = [];
  const requests: Harness['requests'] = [];
  const letters: DeadLetter[] = [];
  const metrics: Harness['metrics'] = {};
  const sender: AlertSender = {
    kind: 'slack',
    async send(view) {
      const r = reply(view, requests.length + 1);
      requests.push({ view, at: clock.now, reply: r });
      switch (r) {
        case 'ok':
          shown.push({ view, at: clock.now });
          return;
        case 'timeout':
          shown.push({ view, at: clock.now });
          throw new DeliveryError('timeout', true);
        case 'unavailable':
          throw new DeliveryError('http_503', true, 503);
        case 'rate_limited':
          throw new DeliveryError('rate_limited', true, 429, 2);
        case 'no_service':
          throw new DeliveryError('no_service', false, 404);
      }
    },
  };
  // Posts run at once: a sleep ends at its own time, the earliest first, once everything else has run.
  const timers: { at: number; seq: number; resolve: () => void }[] = [];
  let pumping = false;
  const pump = (): void => {
    if (pumping) return;
    pumping = true;
    setImmediate(() => {
      pumping = false;
      timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
      const next = timers.shift();
      if (next) {
        clock.now = Math.max(clock.now, next.at);
        next.resolve();
      }
      if (timers.length > 0) pump();
    });
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      timers.push({ at: clock.now + ms, seq: timers.length, resolve });
      pump();
    });
  let deadline = clock.now + 30_000;
  const deps: NotifyDeps = {
    destination: { name: DESTINATION, detail: 'minimal' },
    platform: { sender: async () => sender, fingerprintKey: async () => 'k' },
    stores: { dedup, deadLetters: { put: async (letter) => void letters.push(letter) } },
    delivery: {
      policy: POLICY,
      remainingMs: () => deadline - clock.now,
      sendTimeoutMs: 1000,
      sleep,
      random: () => 0.5,
      maxReceiveCount: 3,
      leaseMs: 60_000,
      now: () => clock.now,
    },
    observability: {
      logger: silentLogger,
      metric: (name, value) => (metrics[name] = (metrics[name] ?? 0) + value),
    },
    digest: { minGroupSize: 2 },
    pacing: { pacer: new MemoryPacer(() => clock.now) },
    ...overrides,
  };
  return {
    deps: {
      ...deps,
      // Each batch is a fresh invocation with its own time budget.
      get delivery() {
        return deps.delivery;
      },
    },
    dedup,
    shown,
    requests,
    letters,
    metrics,
    clock: Object.assign(clock, {
      startInvocation: () => (deadline = clock.now + 30_000),
    }),
  };
}

const recordsOf = (events: readonly RelayEvent[], receiveCount = 1): QueuedRecord[] =>
  events.map((event, i) => ({ id: `m-${event.key.slice(0, 8)}-${i}`, body: JSON.stringify(event), receiveCount }));

/** Events a view stands for: 1 for an alert, its count for a digest. */
const eventsIn = (view: ChatView): number => (isDigestView(view) ? view.count : 1);
const results = (outcome: BatchOutcome) =>
  outcome.outcomes.reduce<Record<string, number>>((acc, o) => {
    acc[o.result] = (acc[o.result] ?? 0) + 1;
    return acc;
  }, {});

describe('notifyBatch with digests', () => {
  it('posts a group as one digest and a lone event as an alert; every event confirmed as posted', async () => {
    const h = harness();
    const events = [...stormEvents(100), ...stormEvents(1, { senderDomains: ['other.example'], seed: 'lone' })];
    const outcome = await notifyBatch(recordsOf(events), h.deps);
    expect(outcome.failedIds).toEqual([]);
    expect(results(outcome)).toEqual({ posted: 101 });
    expect(h.shown.map((s) => [isDigestView(s.view), eventsIn(s.view)])).toEqual([
      [true, 100],
      [false, 1],
    ]);
    expect(h.metrics).toMatchObject({ AlertsPosted: 101, DigestsPosted: 1, DigestEvents: 100 });
    for (const e of events) expect(await h.dedup.claim(DESTINATION, e.key, 1000)).toBe('done');
    // The digest's events carry its key, so a log search finds which message showed an event.
    const digestKey = (h.shown[0]!.view as { key: string }).key;
    expect(outcome.outcomes.filter((o) => o.digestKey === digestKey)).toHaveLength(100);
  });

  it('counts only the events not posted before when a batch is redelivered', async () => {
    const h = harness();
    const events = stormEvents(100);
    for (const e of events.slice(0, 30)) {
      await h.dedup.claim(DESTINATION, e.key, 1000);
      await h.dedup.confirm(DESTINATION, e.key, 'posted');
    }
    const outcome = await notifyBatch(recordsOf(events, 2), h.deps);
    expect(results(outcome)).toEqual({ duplicate: 30, posted: 70 });
    expect(h.shown.map((s) => eventsIn(s.view))).toEqual([70]);
    expect(h.metrics.Duplicates).toBe(30);
  });

  it('leaves out, and hands back, events another invocation holds; they are shown once, later', async () => {
    const h = harness();
    const events = stormEvents(100);
    for (const e of events.slice(0, 10)) await h.dedup.claim(DESTINATION, e.key, 5000);
    const first = await notifyBatch(recordsOf(events), h.deps);
    expect(results(first)).toEqual({ retry: 10, posted: 90 });
    expect(first.outcomes.filter((o) => o.result === 'retry').every((o) => o.reason === 'claimed_elsewhere')).toBe(
      true,
    );
    // The other invocation died; its claims expire and the redelivered records are posted.
    h.clock.now += 10_000;
    h.clock.startInvocation();
    const retried = recordsOf(events).filter((r) => first.failedIds.includes(r.id));
    const second = await notifyBatch(
      retried.map((r) => ({ ...r, receiveCount: 2 })),
      h.deps,
    );
    expect(results(second)).toEqual({ posted: 10 });
    expect(h.shown.map((s) => eventsIn(s.view))).toEqual([90, 10]);
  });

  it('dead-letters every event of a digest the platform refuses for good, one by one, with the reason', async () => {
    const h = harness(() => 'no_service');
    const events = stormEvents(50);
    const outcome = await notifyBatch(recordsOf(events), h.deps);
    expect(results(outcome)).toEqual({ dead_lettered: 50 });
    expect(h.requests).toHaveLength(1);
    expect(h.letters).toHaveLength(50);
    expect(new Set(h.letters.map((l) => l.eventKey))).toEqual(new Set(events.map((e) => e.key)));
    expect(h.letters.every((l) => l.reason === 'no_service' && l.status === 404)).toBe(true);
    expect(h.metrics).toMatchObject({ DestinationBroken: 1, DeadLetters: 50 });
    // Dead letters can be claimed again, so that a redrive posts them.
    expect(await h.dedup.claim(DESTINATION, events[0]!.key, 1000)).toBe('claimed');
  });

  it('hands back a digest that keeps failing, dead-lettering only the events on their last receive', async () => {
    const h = harness(() => 'unavailable');
    const events = stormEvents(20);
    const records = [...recordsOf(events.slice(0, 15), 1), ...recordsOf(events.slice(15), 3)];
    const outcome = await notifyBatch(records, h.deps);
    expect(results(outcome)).toEqual({ retry: 15, dead_lettered: 5 });
    expect(h.letters.map((l) => l.reason)).toEqual(Array(5).fill('http_503'));
    // One try a receive: the digest steps aside for the backoff of its most tried event (the third try: 4 × 100 ms,
    // jittered by 0.75).
    expect(h.requests).toHaveLength(1);
    expect(outcome.outcomes.filter((o) => o.result === 'retry').every((o) => o.notBeforeMs === 300)).toBe(true);
    // Released: the next receive may claim them again.
    expect(await h.dedup.claim(DESTINATION, events[0]!.key, 1000)).toBe('claimed');
  });

  it('never resends a digest whose reply timed out: all its events count as posted, unconfirmed', async () => {
    const h = harness(() => 'timeout');
    const outcome = await notifyBatch(recordsOf(stormEvents(40)), h.deps);
    expect(results(outcome)).toEqual({ posted: 40 });
    expect(outcome.outcomes.every((o) => o.unconfirmed)).toBe(true);
    expect(h.requests).toHaveLength(1);
    expect(h.metrics).toMatchObject({ AlertsUnconfirmed: 40, DigestsPosted: 1, DigestEvents: 40 });
  });

  it('shows an event that is twice in a batch once, and skips the copy', async () => {
    const h = harness();
    const [a, b] = stormEvents(2);
    const records = recordsOf([a!, b!, a!]);
    const outcome = await notifyBatch(records, h.deps);
    expect(outcome.outcomes.map((o) => o.result)).toEqual(['posted', 'posted', 'duplicate']);
    expect(h.shown.map((s) => eventsIn(s.view))).toEqual([2]);
  });

  it('posts every event on its own without the digest option, as before digests existed', async () => {
    const h = harness(undefined, { digest: undefined, pacing: undefined });
    await notifyBatch(recordsOf(stormEvents(5)), h.deps);
    expect(h.shown.map((s) => isDigestView(s.view))).toEqual([false, false, false, false, false]);
    // Unpaced: all at the same instant.
    expect(new Set(h.shown.map((s) => s.at)).size).toBe(1);
  });
});

describe('notifyBatch with records it cannot use', () => {
  it('dead-letters records whose fields have the wrong types as malformed, and posts the rest of the batch', async () => {
    const h = harness();
    const [good, other] = stormEvents(2);
    const bad = [
      { ...good!, key: 'b'.repeat(32), recipients: [1] },
      { ...good!, key: 'c'.repeat(32), customHeaders: null },
      { ...good!, key: 'd'.repeat(32), customHeaders: { 'X-Ref': 7 } },
      { ...good!, key: 'e'.repeat(32), subject: { text: 'x' } },
    ];
    const records = [
      ...recordsOf([good!, other!]),
      ...bad.map((e, i) => ({ id: `bad-${i}`, body: JSON.stringify(e), receiveCount: 1 })),
    ];
    const outcome = await notifyBatch(records, h.deps);
    expect(outcome.failedIds).toEqual([]);
    expect(results(outcome)).toEqual({ posted: 2, dead_lettered: 4 });
    expect(h.letters.map((l) => l.reason)).toEqual([
      'malformed_record',
      'malformed_record',
      'malformed_record',
      'malformed_record',
    ]);
  });

  it('keeps a stored dead letter dead when the de-duplication record cannot be updated: never back on the queue', async () => {
    const h = harness(() => 'no_service');
    const failingConfirm = Object.assign(Object.create(h.dedup) as MemoryDedupStore, {
      confirm: async (destination: string, key: string, state: 'posted' | 'dead') => {
        if (state === 'dead') throw new Error('throttled');
        return h.dedup.confirm(destination, key, state);
      },
    });
    const events = stormEvents(1);
    const stores = { ...h.deps.stores, dedup: failingConfirm };
    const outcome = await notifyBatch(recordsOf(events), { ...h.deps, stores });
    expect(outcome.failedIds).toEqual([]);
    expect(results(outcome)).toEqual({ dead_lettered: 1 });
    expect(h.letters).toHaveLength(1);
    expect(h.metrics.DeadLetters).toBe(1);
  });
});

describe('notifyBatch pacing', () => {
  it('leaves at least the rate limit interval between two posts', async () => {
    const h = harness(undefined, { digest: undefined });
    await notifyBatch(recordsOf(stormEvents(5)), h.deps);
    const times = h.requests.map((r) => r.at);
    expect(times.slice(1).map((t, i) => t - times[i]!)).toEqual([1100, 1100, 1100, 1100]);
  });

  it('does not hold the next post behind a slow reply: it starts on its own slot', async () => {
    const h = harness(undefined, { digest: undefined });
    const starts: number[] = [];
    const slow: AlertSender = {
      kind: 'slack',
      async send() {
        starts.push(h.clock.now);
        // The first post takes 5 s to be answered: a slow reply (SLOW_REPLY_MS).
        if (starts.length === 1) await h.deps.delivery.sleep(5000);
      },
    };
    const platform = { ...h.deps.platform, sender: async () => slow };
    await notifyBatch(recordsOf(stormEvents(3)), { ...h.deps, platform });
    // The second once the first has been under way for SLOW_REPLY_MS, the third as long after the second.
    expect(starts.map((t) => t - starts[0]!)).toEqual([0, 2000, 4000]);
  });

  it('uses the configured rate, and keeps clear of a 429 for its Retry-After for every later post', async () => {
    const h = harness((_, n) => (n === 2 ? 'rate_limited' : 'ok'), {
      digest: undefined,
      pacing: { pacer: new MemoryPacer(() => h.clock.now), messagesPerSecond: 4 },
    });
    const outcome = await notifyBatch(recordsOf(stormEvents(4)), h.deps);
    const times = h.requests.map((r) => r.at - h.requests[0]!.at);
    // 275 ms apart (250 and the margin); the 429 (Retry-After: 2) pauses the destination: the posts whose turn came
    // meanwhile go after it, in the same invocation (not handed back, which would spend a try of theirs); the
    // rate-limited one is handed back for its Retry-After.
    expect(times).toEqual([0, 275, 2275, 2550]);
    expect(outcome.outcomes.map((o) => o.reason ?? o.result)).toEqual(['posted', 'rate_limited', 'posted', 'posted']);
    expect(outcome.outcomes[1]!.notBeforeMs).toBe(2000);
  });

  it('plans what waited through a 429 again as a backlog: one digest after the pause', async () => {
    const h = harness((_, n) => (n === 1 ? 'rate_limited' : 'ok'), {
      digest: { minGroupSize: MAX_BATCH_SIZE },
      pacing: { pacer: new MemoryPacer(() => h.clock.now), messagesPerSecond: 4 },
    });
    const outcome = await notifyBatch(recordsOf(stormEvents(6)), h.deps);
    // The first post met the 429; the five others, planned one by one, wait for the pause and go as one digest.
    expect(h.requests.map((r) => r.at - h.requests[0]!.at)).toEqual([0, 2000]);
    expect(h.shown.map((s) => eventsIn(s.view))).toEqual([5]);
    expect(results(outcome)).toEqual({ retry: 1, posted: 5 });
  });

  it('hands events back unsent when no send slot starts within the time left', async () => {
    const h = harness(undefined, { digest: undefined });
    const deadline = h.clock.now + 3800;
    const deps: NotifyDeps = { ...h.deps, delivery: { ...h.deps.delivery, remainingMs: () => deadline - h.clock.now } };
    const outcome = await notifyBatch(recordsOf(stormEvents(5)), deps);
    // Slots at 0, 1.1 s, 2.2 s fit (each send may take 1 s of the 3.8 s); the rest wait for the next receive.
    expect(results(outcome)).toEqual({ posted: 3, retry: 2 });
    expect(outcome.outcomes.filter((o) => o.result === 'retry').map((o) => o.reason)).toEqual([
      NO_SEND_SLOT,
      NO_SEND_SLOT,
    ]);
    expect(h.requests).toHaveLength(3);
  });

  it('plans no more posts than the rate limit allows in the time left: groups by category instead', async () => {
    const h = harness();
    const domains = Array.from({ length: 8 }, (_, i) => `d${i}.example`);
    const deadline = h.clock.now + 5000;
    const deps: NotifyDeps = { ...h.deps, delivery: { ...h.deps.delivery, remainingMs: () => deadline - h.clock.now } };
    const outcome = await notifyBatch(recordsOf(stormEvents(80, { senderDomains: domains })), deps);
    expect(results(outcome)).toEqual({ posted: 80 });
    expect(h.shown.map((s) => eventsIn(s.view))).toEqual([80]);
  });
});

describe('conservation across redeliveries (property)', () => {
  it('shows every event exactly once or dead-letters it; the counts in the posts add up to the events posted', async () => {
    const replies = fc.constantFrom<Reply>('ok', 'ok', 'ok', 'unavailable', 'rate_limited', 'timeout', 'no_service');
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 300 }),
        fc.array(replies, { minLength: 1, maxLength: 30 }),
        fc.integer({ min: 1, max: 120 }),
        fc.integer({ min: 0, max: 20 }),
        async (count, script, batchSize, repeats) => {
          const h = harness((_, n) => script[(n - 1) % script.length]!);
          const events = stormEvents(count, {
            senderDomains: ['a.example', 'b.example', 'c.example'],
            seed: `p${count}`,
          });
          // The same webhook may arrive again (SNS/SQS redelivery): a few events are queued twice.
          let queue = recordsOf([...events, ...events.slice(0, repeats)]);
          const posted = new Map<string, number>();
          const dead = new Set<string>();
          for (let round = 0; queue.length > 0 && round < 2000; round++) {
            h.clock.startInvocation();
            const batch = queue.slice(0, batchSize);
            const outcome = await notifyBatch(batch, h.deps);
            const retry: QueuedRecord[] = [];
            for (const [i, o] of outcome.outcomes.entries()) {
              if (o.result === 'posted') posted.set(o.eventKey!, (posted.get(o.eventKey!) ?? 0) + 1);
              if (o.result === 'dead_lettered') dead.add(o.eventKey!);
              if (o.result === 'retry') retry.push({ ...batch[i]!, receiveCount: batch[i]!.receiveCount + 1 });
            }
            queue = [...queue.slice(batchSize), ...retry];
            h.clock.now += 5_000;
          }
          expect(queue).toEqual([]);
          // Exactly once: no event posted twice, none lost. (A repeated webhook of a dead-lettered event is tried
          // again, as a redrive would be, so an event may be both in the dead letters and posted once.)
          expect([...posted.values()].every((n) => n === 1)).toBe(true);
          expect(posted.size + [...dead].filter((key) => !posted.has(key)).length).toBe(count);
          // What the channel shows adds up to what was posted.
          expect(h.shown.reduce((n, s) => n + eventsIn(s.view), 0)).toBe(posted.size);
        },
      ),
      { numRuns: 60 },
    );
  });
});
