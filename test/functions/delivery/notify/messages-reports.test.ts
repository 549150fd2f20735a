import type { ChatView } from '../../../../functions/alerts';
import { healthNotice, isHealthNotice } from '../../../../functions/alerts';
import { isReportView } from '../../../../functions/alerts';
import type { AlertSender } from '../../../../functions/chat';
import { DeliveryError } from '../../../../functions/chat';
import type { DeadLetter } from '../../../../functions/delivery/dead-letters/dead-letter';
import { MemoryDedupStore } from '../../../../functions/delivery/dedup';
import { notifyBatch, type NotifyDeps, type QueuedRecord } from '../../../../functions/delivery/notify-batch';
import { MemoryPacer } from '../../../../functions/delivery/pacing';
import { silentLogger } from '../../../../functions/observability';
import { encodeQueuedReport } from '../../../../functions/reports';
import { fixtureEvent } from '../../../support/events';
import { sampleSummary } from '../../../support/summary';

type Reply = 'ok' | 'unavailable' | 'no_service';

function harness(replies: Reply[] = []) {
  const clock = { now: Date.parse('2026-03-16T08:00:00Z') };
  const sent: { view: ChatView; at: number }[] = [];
  const letters: DeadLetter[] = [];
  const sender: AlertSender = {
    kind: 'slack',
    async send(view) {
      const reply = replies.shift() ?? 'ok';
      if (reply === 'unavailable') throw new DeliveryError('http_503', true, 503);
      if (reply === 'no_service') throw new DeliveryError('no_service', false, 404);
      sent.push({ view, at: clock.now });
    },
  };
  const dedup = new MemoryDedupStore(() => clock.now);
  const deps: NotifyDeps = {
    destination: { name: 'ops', detail: 'minimal' },
    platform: { sender: async () => sender, fingerprintKey: async () => 'key' },
    stores: { dedup, deadLetters: { put: async (letter) => void letters.push(letter) } },
    delivery: {
      policy: { baseDelayMs: 10, maxDelayMs: 10, defaultRetryAfterMs: 100 },
      remainingMs: () => 30_000,
      sendTimeoutMs: 1000,
      sleep: async (ms) => {
        clock.now += ms;
      },
      random: () => 0.5,
      maxReceiveCount: 3,
      leaseMs: 60_000,
      now: () => clock.now,
    },
    observability: { logger: silentLogger },
    pacing: { pacer: new MemoryPacer(() => clock.now), messagesPerSecond: 1 },
  };
  return { deps, sent, letters, clock };
}

const alert2 = (): QueuedRecord => ({
  id: 'e2',
  body: JSON.stringify({ ...fixtureEvent('permanent_failure'), key: 'e2'.padEnd(32, '0') }),
  receiveCount: 1,
});

const report = (receiveCount = 1, id = 'r1'): QueuedRecord => ({
  id,
  body: encodeQueuedReport('report-week-2026-03-16T08:00:00.000Z', sampleSummary()),
  receiveCount,
});

describe('notifyBatch: queued reports', () => {
  it('posts a report once: a redelivered or retried copy is skipped as a duplicate', async () => {
    const h = harness();
    expect((await notifyBatch([report()], h.deps)).outcomes).toEqual([
      expect.objectContaining({ id: 'r1', result: 'posted', eventKey: 'report-week-2026-03-16T08:00:00.000Z' }),
    ]);
    expect((await notifyBatch([report(2, 'r2')], h.deps)).outcomes).toEqual([
      expect.objectContaining({ id: 'r2', result: 'duplicate' }),
    ]);
    expect(h.sent).toHaveLength(1);
    expect(isReportView(h.sent[0]!.view)).toBe(true);
    // The destination's level applies: no header values below full.
    expect(JSON.stringify(h.sent[0]!.view)).not.toContain('X-Campaign');
  });

  it('hands a report back for its backoff on a platform error, and dead-letters it on its last receive', async () => {
    const h = harness(['unavailable', 'unavailable', 'unavailable', 'unavailable']);
    const first = await notifyBatch([report(1)], h.deps);
    expect(first.failedIds).toEqual(['r1']);
    expect(first.outcomes[0]).toMatchObject({ result: 'retry', attempts: 1, notBeforeMs: expect.any(Number) });
    const last = await notifyBatch([report(3)], h.deps);
    expect(last.outcomes[0]).toMatchObject({ result: 'dead_lettered', reason: 'http_503' });
    expect(h.letters).toEqual([
      expect.objectContaining({ destination: 'ops', eventType: 'report', reason: 'http_503' }),
    ]);
    expect(h.sent).toEqual([]);
  });

  it('dead-letters at once what the platform refuses for good, and a malformed report', async () => {
    const h = harness(['no_service']);
    const { outcomes } = await notifyBatch(
      [report(), { id: 'bad', body: '{"kind":"paubox-relay-report"}', receiveCount: 1 }],
      h.deps,
    );
    expect(outcomes.map((o) => [o.id, o.result, o.reason])).toEqual([
      ['r1', 'dead_lettered', 'no_service'],
      ['bad', 'dead_lettered', 'malformed_record'],
    ]);
    // The unreadable one is kept as it is read, before anything is sent.
    expect(h.letters.map((l) => [l.eventKey, l.eventType])).toEqual([
      ['unreadable', 'report'],
      ['report-week-2026-03-16T08:00:00.000Z', 'report'],
    ]);
  });
});

describe('notifyBatch: reports among alerts', () => {
  it('posts a batch of alerts and reports, each its own way, in the shared send slots, outcomes in record order', async () => {
    const h = harness();
    const alert = { id: 'e1', body: JSON.stringify(fixtureEvent('permanent_failure')), receiveCount: 1 };
    const { outcomes, failedIds } = await notifyBatch([alert, report(), { ...alert, id: 'e2' }], h.deps);
    expect(outcomes.map((o) => [o.id, o.result])).toEqual([
      ['e1', 'posted'],
      ['r1', 'posted'],
      ['e2', 'duplicate'],
    ]);
    expect(failedIds).toEqual([]);
    expect(h.sent.map((s) => isReportView(s.view))).toEqual([false, true]);
    // One destination, one rate: the report waited for the alert's slot.
    expect(h.sent[1]!.at - h.sent[0]!.at).toBeGreaterThanOrEqual(1000);
  });
});

describe("notifyBatch: reports by the notifier's own claims, retries and dead letters", () => {
  it('posts copies of a report in one batch once, and hands both back together when the post may succeed later', async () => {
    const h = harness();
    const { outcomes } = await notifyBatch([report(1, 'r1'), report(1, 'r2')], h.deps);
    expect(outcomes.map((o) => [o.id, o.result])).toEqual([
      ['r1', 'posted'],
      ['r2', 'duplicate'],
    ]);
    expect(h.sent).toHaveLength(1);

    const later = harness(['unavailable']);
    const retried = await notifyBatch([report(1, 'r1'), report(1, 'r2')], later.deps);
    expect(retried.failedIds).toEqual(['r1', 'r2']);
    // Its claim was released: the next receive posts it.
    expect((await notifyBatch([report(2, 'r1')], later.deps)).outcomes[0]).toMatchObject({ result: 'posted' });
  });

  it('hands a report back, unsent and unclaimed, while another invocation holds it or the destination is unusable', async () => {
    const h = harness();
    await h.deps.stores.dedup.claim('ops', 'report-week-2026-03-16T08:00:00.000Z', 60_000);
    expect((await notifyBatch([report()], h.deps)).outcomes[0]).toMatchObject({
      result: 'retry',
      reason: 'claimed_elsewhere',
    });
    const broken = harness();
    const deps = {
      ...broken.deps,
      platform: { ...broken.deps.platform, sender: () => Promise.reject(new Error('gone')) },
    };
    expect((await notifyBatch([report()], deps)).outcomes[0]).toMatchObject({ result: 'retry', reason: 'error_Error' });
    expect((await notifyBatch([report(3)], deps)).outcomes[0]).toMatchObject({ result: 'dead_lettered' });
    expect(broken.letters).toEqual([expect.objectContaining({ eventType: 'report', reason: 'error_Error' })]);
    expect(h.sent).toEqual([]);
  });

  it('posts a health notice before the alerts of its batch and a report after them, counting retries alike', async () => {
    // The notice's try fails: it is handed back for its backoff, and the alert and the report go on.
    const h = harness(['unavailable']);
    const metrics: string[] = [];
    const deps = {
      ...h.deps,
      observability: { logger: silentLogger, metric: (name: string) => void metrics.push(name) },
    };
    const notice = healthNotice({
      state: 'problem',
      part: 'destination',
      subject: 'ops',
      reason: 'no_service',
      affected: 1,
      since: '2026-03-16T07:00:00.000Z',
    });
    const alert = { id: 'e1', body: JSON.stringify(fixtureEvent('permanent_failure')), receiveCount: 1 };
    const batch = [report(), alert, { id: 'n1', body: JSON.stringify(notice), receiveCount: 1 }];
    const { outcomes } = await notifyBatch(batch, deps);
    expect(outcomes.map((o) => o.result)).toEqual(['posted', 'posted', 'retry']);
    expect(h.sent.map((s) => (isHealthNotice(s.view) ? 'notice' : isReportView(s.view) ? 'report' : 'alert'))).toEqual([
      'alert',
      'report',
    ]);
    // The notice comes first on its next receive, before the alerts of that batch.
    const next = await notifyBatch([alert2(), { id: 'n1', body: JSON.stringify(notice), receiveCount: 2 }], deps);
    expect(next.outcomes.map((o) => o.result)).toEqual(['posted', 'posted']);
    expect(isHealthNotice(h.sent[2]!.view)).toBe(true);
    expect(metrics.filter((m) => m === 'Retries')).toHaveLength(1);
  });
});
