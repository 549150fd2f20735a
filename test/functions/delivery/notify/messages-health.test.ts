import { healthNotice, isHealthNotice, type ChatView } from '../../../../functions/alerts';
import { type AlertSender, DeliveryError } from '../../../../functions/chat';
import type { DeadLetter } from '../../../../functions/delivery/dead-letters/dead-letter';
import { MemoryDedupStore } from '../../../../functions/delivery/dedup/memory-store';
import { notifyBatch, type NotifyDeps, type QueuedRecord } from '../../../../functions/delivery/notify-batch';
import { silentLogger } from '../../../../functions/observability';
import { fixtureEvent } from '../../../support/events';

const notice = healthNotice({
  state: 'problem',
  part: 'destination',
  subject: 'slack-broken',
  reason: 'no_service',
  affected: 3,
  since: '2026-11-20T14:00:00.000Z',
});

function harness(fail?: DeliveryError) {
  const sent: ChatView[] = [];
  const letters: DeadLetter[] = [];
  const dedup = new MemoryDedupStore();
  const sender: AlertSender = {
    kind: 'slack',
    async send(view) {
      if (fail) throw fail;
      sent.push(view);
    },
  };
  const deps: NotifyDeps = {
    destination: { name: 'ops', detail: 'minimal' },
    platform: { sender: async () => sender, fingerprintKey: async () => 'k' },
    stores: { dedup, deadLetters: { put: async (letter) => void letters.push(letter) } },
    delivery: {
      policy: { baseDelayMs: 1, maxDelayMs: 1, defaultRetryAfterMs: 1 },
      remainingMs: () => 30_000,
      sendTimeoutMs: 1000,
      sleep: async () => undefined,
      random: () => 0,
      maxReceiveCount: 5,
      leaseMs: 30_000,
    },
    observability: { logger: silentLogger },
  };
  return { deps, sent, letters };
}

const record = (id: string, body: unknown): QueuedRecord => ({ id, body: JSON.stringify(body), receiveCount: 1 });

describe('notifyBatch: queued health notices', () => {
  it('posts a notice before the alerts of its batch, and a second copy of it not at all', async () => {
    const { deps, sent } = harness();
    const batch = [record('1', fixtureEvent('permanent_failure')), record('2', notice), record('3', notice)];
    const { outcomes } = await notifyBatch(batch, deps);
    expect(outcomes.map((o) => o.result)).toEqual(['posted', 'posted', 'duplicate']);
    expect(sent).toHaveLength(2);
    expect(isHealthNotice(sent[0]!)).toBe(true);
    expect(isHealthNotice(sent[1]!)).toBe(false);
    expect((await notifyBatch([record('4', notice)], deps)).outcomes[0]!.result).toBe('duplicate');
  });

  it('dead-letters a notice the destination refuses, typed health, and hands back one that may succeed later', async () => {
    const dead = harness(new DeliveryError('no_service', false, 404));
    expect((await notifyBatch([record('1', notice)], dead.deps)).outcomes[0]!.result).toBe('dead_lettered');
    expect(dead.letters).toEqual([
      expect.objectContaining({ eventKey: notice.key, eventType: 'health', reason: 'no_service', status: 404 }),
    ]);
    const later = harness(new DeliveryError('http_503', true, 503));
    const outcome = await notifyBatch([record('1', notice)], later.deps);
    expect(outcome.failedIds).toEqual(['1']);
  });
});
