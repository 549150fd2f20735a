import { DEFAULT_RETRY_POLICY } from '../../../functions/delivery/retry';
import { MemoryDedupStore } from '../../../functions/delivery/dedup';
import { buildNotifyDeps, type NotifyParts } from '../../../functions/delivery/notify-deps';
import { MemoryPacer } from '../../../functions/delivery/pacing';
import { silentLogger } from '../../../functions/observability';

const parts = (over: Partial<NotifyParts> = {}): NotifyParts => ({
  destination: { name: 'ops', detail: 'minimal' },
  platform: { sender: () => Promise.reject(new Error('unused')), fingerprintKey: async () => 'k' },
  stores: { dedup: new MemoryDedupStore(), deadLetters: { put: async () => undefined }, pacer: new MemoryPacer() },
  delivery: { remainingMs: () => 1000, sendTimeoutMs: 2000, maxReceiveCount: 5 },
  observability: { logger: silentLogger },
  ...over,
});

describe('buildNotifyDeps', () => {
  it('resolves the defaults once: the retry policy, a lease as long as the time left and one send, the system clock', () => {
    const deps = buildNotifyDeps(parts());
    expect(deps.delivery.policy).toBe(DEFAULT_RETRY_POLICY);
    expect(deps.delivery.leaseMs).toBe(1000 + 2000);
    expect(Math.abs(deps.delivery.now!() - Date.now())).toBeLessThan(1000);
    expect(deps.destination).toEqual({ name: 'ops', detail: 'minimal' });
    expect(deps.digest).toBeUndefined();
    expect(deps.enrichment).toBeUndefined();
    expect(deps.pacing).toEqual({ pacer: expect.any(MemoryPacer) });
  });

  it('passes what a caller sets: digest, rate, time zone, lease, policy and its own clock', async () => {
    const slept: number[] = [];
    const policy = { ...DEFAULT_RETRY_POLICY, maxAttempts: 1 };
    const deps = buildNotifyDeps(
      parts({
        destination: {
          name: 'ops',
          detail: 'full',
          timeZone: 'Europe/Paris',
          digest: { minGroupSize: 3 },
          messagesPerSecond: 2,
        },
        delivery: { remainingMs: () => 1, sendTimeoutMs: 10, maxReceiveCount: 1, leaseMs: 60_000, policy },
        clock: { now: () => 42, sleep: async (ms) => void slept.push(ms) },
      }),
    );
    expect(deps.destination).toEqual({ name: 'ops', detail: 'full', timeZone: 'Europe/Paris' });
    expect(deps.digest).toEqual({ minGroupSize: 3 });
    expect(deps.pacing?.messagesPerSecond).toBe(2);
    expect(deps.delivery).toMatchObject({ policy, leaseMs: 60_000, maxReceiveCount: 1 });
    expect(deps.delivery.now!()).toBe(42);
    await deps.delivery.sleep(5);
    expect(slept).toEqual([5]);
  });
});
