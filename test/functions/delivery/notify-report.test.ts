import type { ChatView } from '../../../functions/alerts/chat-view';
import { isReportView } from '../../../functions/alerts/report-view';
import type { AlertSender } from '../../../functions/chat/alert-sender';
import { DeliveryError } from '../../../functions/chat/errors';
import type { DeadLetter } from '../../../functions/delivery/dead-letters/dead-letter';
import { MemoryDedupStore } from '../../../functions/delivery/dedup';
import type { NotifyDeps, QueuedRecord } from '../../../functions/delivery/notify-batch';
import { notifyQueue, notifyReports } from '../../../functions/delivery/notify-report';
import { MemoryPacer } from '../../../functions/delivery/pacing';
import { silentLogger } from '../../../functions/observability/logger';
import { encodeQueuedReport } from '../../../functions/reports/queued-report';
import { fixtureEvent } from '../../support/events';
import { sampleSummary } from '../../support/summary';

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

const report = (receiveCount = 1, id = 'r1'): QueuedRecord => ({
  id,
  body: encodeQueuedReport('report-week-2026-03-16T08:00:00.000Z', sampleSummary()),
  receiveCount,
});

describe('notifyReports', () => {
  it('posts a report once: a redelivered or retried copy is skipped as a duplicate', async () => {
    const h = harness();
    expect((await notifyReports([report()], h.deps)).outcomes).toEqual([
      expect.objectContaining({ id: 'r1', result: 'posted', eventKey: 'report-week-2026-03-16T08:00:00.000Z' }),
    ]);
    expect((await notifyReports([report(2, 'r2')], h.deps)).outcomes).toEqual([
      expect.objectContaining({ id: 'r2', result: 'duplicate' }),
    ]);
    expect(h.sent).toHaveLength(1);
    expect(isReportView(h.sent[0]!.view)).toBe(true);
    // The destination's level applies: no header values below full.
    expect(JSON.stringify(h.sent[0]!.view)).not.toContain('X-Campaign');
  });

  it('hands a report back for its backoff on a platform error, and dead-letters it on its last receive', async () => {
    const h = harness(['unavailable', 'unavailable', 'unavailable', 'unavailable']);
    const first = await notifyReports([report(1)], h.deps);
    expect(first.failedIds).toEqual(['r1']);
    expect(first.outcomes[0]).toMatchObject({ result: 'retry', attempts: 1, notBeforeMs: expect.any(Number) });
    const last = await notifyReports([report(3)], h.deps);
    expect(last.outcomes[0]).toMatchObject({ result: 'dead_lettered', reason: 'http_503' });
    expect(h.letters).toEqual([
      expect.objectContaining({ destination: 'ops', eventType: 'report', reason: 'http_503' }),
    ]);
    expect(h.sent).toEqual([]);
  });

  it('dead-letters at once what the platform refuses for good, and a malformed report', async () => {
    const h = harness(['no_service']);
    const { outcomes } = await notifyReports(
      [report(), { id: 'bad', body: '{"kind":"paubox-relay-report"}', receiveCount: 1 }],
      h.deps,
    );
    expect(outcomes.map((o) => [o.id, o.result, o.reason])).toEqual([
      ['r1', 'dead_lettered', 'no_service'],
      ['bad', 'dead_lettered', 'malformed_record'],
    ]);
    expect(h.letters.map((l) => [l.eventKey, l.eventType])).toEqual([
      ['report-week-2026-03-16T08:00:00.000Z', 'report'],
      ['unreadable', 'report'],
    ]);
  });
});

describe('notifyQueue', () => {
  it('posts a batch of alerts and reports, each its own way, in the shared send slots, outcomes in record order', async () => {
    const h = harness();
    const alert = { id: 'e1', body: JSON.stringify(fixtureEvent('permanent_failure')), receiveCount: 1 };
    const { outcomes, failedIds } = await notifyQueue([alert, report(), { ...alert, id: 'e2' }], h.deps);
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
