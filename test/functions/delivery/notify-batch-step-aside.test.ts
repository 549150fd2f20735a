import type { AlertSender } from '../../../functions/chat';
import { DeliveryError } from '../../../functions/chat';
import { BROKEN_AFTER_ANSWERS, BrokenDestination } from '../../../functions/delivery/broken-destination';
import type { DeadLetter } from '../../../functions/delivery/dead-letters/dead-letter';
import { MemoryDedupStore } from '../../../functions/delivery/dedup/memory-store';
import { MAX_IN_FLIGHT } from '../../../functions/delivery/send-gate';
import { notifyBatch, type NotifyDeps, type QueuedRecord } from '../../../functions/delivery/notify-batch';
import { BEHIND_EARLIER_ALERT } from '../../../functions/delivery/notify/post';
import type { RelayEvent } from '../../../functions/paubox';
import { captureLogger } from '../../support/capture-logger';
import { stormEvents } from '../../support/storm-events';

/* notifyBatch when posts fail: a failure steps aside, a follow-up waits behind it, a broken destination is known. */

type Answer = 'ok' | 'unavailable' | 'no_service';

function harness(answer: (key: string) => Answer, broken?: BrokenDestination) {
  const sent: string[] = [];
  const letters: DeadLetter[] = [];
  const logger = captureLogger();
  const sender: AlertSender = {
    kind: 'slack',
    async send(view) {
      sent.push(view.key);
      const a = answer(view.key);
      if (a === 'unavailable') throw new DeliveryError('http_503', true, 503);
      if (a === 'no_service') throw new DeliveryError('no_service', false, 404);
    },
  };
  const deps: NotifyDeps = {
    destination: { name: 'ops', detail: 'minimal' },
    platform: { sender: async () => sender, fingerprintKey: async () => 'k' },
    stores: { dedup: new MemoryDedupStore(), deadLetters: { put: async (letter) => void letters.push(letter) } },
    delivery: {
      policy: { baseDelayMs: 250, maxDelayMs: 8000, defaultRetryAfterMs: 1000 },
      remainingMs: () => 30_000,
      sendTimeoutMs: 1000,
      sleep: async () => undefined,
      random: () => 0.5,
      maxReceiveCount: 5,
      leaseMs: 30_000,
      ...(broken ? { broken } : {}),
    },
    observability: { logger },
  };
  return { deps, sent, letters, logger };
}

const records = (events: readonly RelayEvent[], receiveCount = 1): QueuedRecord[] =>
  events.map((e, i) => ({ id: `m${i}`, body: JSON.stringify(e), receiveCount }));

const OUTCOME_LINES = new Set([
  'posted alert',
  'alert dead-lettered',
  'alert not posted yet; handed back to the queue',
  'alert sent, reply timed out; not resent',
  'duplicate skipped',
]);

describe('notifyBatch: failures step aside', () => {
  it('hands a failed alert back for its backoff, and posts the others of the batch without waiting for it', async () => {
    const events = stormEvents(4);
    const h = harness((key) => (key === events[0]!.key ? 'unavailable' : 'ok'));
    const { outcomes } = await notifyBatch(records(events, 2), h.deps);
    expect(outcomes.map((o) => o.result)).toEqual(['retry', 'posted', 'posted', 'posted']);
    // The second try's backoff: 2 × 250 ms, jittered by 0.75.
    expect(outcomes[0]).toMatchObject({ reason: 'http_503', attempts: 1, notBeforeMs: 375 });
    expect(h.sent.filter((k) => k === events[0]!.key)).toHaveLength(1);
  });

  it('logs one outcome line for an event dead-lettered on its last receive, the true one', async () => {
    const [event] = stormEvents(1);
    const h = harness(() => 'unavailable');
    const { outcomes } = await notifyBatch(records([event!], 5), h.deps);
    expect(outcomes.map((o) => o.result)).toEqual(['dead_lettered']);
    const lines = h.logger.lines.filter((l) => OUTCOME_LINES.has(l.message));
    expect(lines.map((l) => [l.message, l.fields.eventKey])).toEqual([['alert dead-lettered', event!.key]]);
  });

  it('hands back a follow-up of the same message behind an alert handed back, unsent and not before it', async () => {
    const [first, other] = stormEvents(2);
    const followUp: RelayEvent = { ...first!, key: 'f'.repeat(32), type: 'temporary_failure' };
    const h = harness((key) => (key === first!.key ? 'unavailable' : 'ok'));
    const { outcomes } = await notifyBatch(records([first!, other!, followUp]), h.deps);
    expect(outcomes.map((o) => [o.result, o.reason])).toEqual([
      ['retry', 'http_503'],
      ['posted', undefined],
      ['retry', BEHIND_EARLIER_ALERT],
    ]);
    expect(outcomes[2]!.notBeforeMs).toBe(outcomes[0]!.notBeforeMs);
    expect(h.sent).toEqual([first!.key, other!.key]);
  });

  it('posts a follow-up after its alert when that one goes out', async () => {
    const [first] = stormEvents(1);
    const followUp: RelayEvent = { ...first!, key: 'f'.repeat(32), type: 'temporary_failure' };
    const h = harness(() => 'ok');
    const { outcomes } = await notifyBatch(records([first!, followUp]), h.deps);
    expect(outcomes.map((o) => o.result)).toEqual(['posted', 'posted']);
    expect(h.sent).toEqual([first!.key, followUp.key]);
  });
});

describe('notifyBatch: a broken destination', () => {
  it(`dead-letters the rest unsent after ${BROKEN_AFTER_ANSWERS} broken answers, until the probe finds it working`, async () => {
    const broken = new BrokenDestination(3_600_000);
    const h = harness(() => 'no_service', broken);
    const events = stormEvents(30);
    const { outcomes } = await notifyBatch(records(events.slice(0, 20)), h.deps);
    expect(outcomes.every((o) => o.result === 'dead_lettered')).toBe(true);
    // The first answers only (MAX_IN_FLIGHT may have a few more under way when the last of them came).
    expect(h.sent.length).toBeGreaterThanOrEqual(BROKEN_AFTER_ANSWERS);
    expect(h.sent.length).toBeLessThan(BROKEN_AFTER_ANSWERS + MAX_IN_FLIGHT);
    expect(h.letters).toHaveLength(20);
    expect(h.letters.every((l) => l.reason === 'no_service' && l.status === 404)).toBe(true);
    // Later batches too, without a send.
    const sentBefore = h.sent.length;
    await notifyBatch(records(events.slice(20, 25)), h.deps);
    expect(h.sent).toHaveLength(sentBefore);
    broken.probedOk();
    await notifyBatch(records(events.slice(25)), h.deps);
    expect(h.sent.length).toBeGreaterThan(sentBefore);
  });

  it('is tried again with one alert after the wait when nothing probes it', () => {
    let now = 0;
    const broken = new BrokenDestination(60_000, () => now);
    const dead = { kind: 'dead', attempts: 1, rateLimited: 0, reason: 'no_service', status: 404 } as const;
    for (let i = 0; i < BROKEN_AFTER_ANSWERS; i++) broken.observe(dead);
    expect(broken.knownBroken()).toEqual({ reason: 'no_service', status: 404 });
    now = 60_000;
    expect(broken.knownBroken()).toBeUndefined();
    expect(broken.knownBroken()).toEqual({ reason: 'no_service', status: 404 });
    // A post clears it; any other answer between broken ones breaks their run, and so does a different broken
    // answer (a revoked webhook answers every post alike): alerts each answered 404 among others are not enough.
    broken.observe({ kind: 'posted', attempts: 1, rateLimited: 0, unconfirmed: false });
    expect(broken.knownBroken()).toBeUndefined();
    const gone = { ...dead, reason: 'channel_is_archived', status: 410 };
    for (const answer of [dead, dead, gone, dead, dead, dead, dead]) broken.observe(answer);
    broken.observe({ kind: 'retry_later', attempts: 1, rateLimited: 0, reason: 'http_500' });
    expect(broken.knownBroken()).toBeUndefined();
    for (let i = 0; i < BROKEN_AFTER_ANSWERS; i++) broken.observe(dead);
    expect(broken.knownBroken()).toEqual({ reason: 'no_service', status: 404 });
  });
});
