import type { RateNotice } from '../../../functions/alerts';
import { silentLogger } from '../../../functions/observability';
import { MemoryRateStore } from '../../../functions/sending/memory-rate-store';
import type { RateStore } from '../../../functions/sending/rate-store';
import { RATE_ALERT_CACHE_MS, RateWatch, watchRates, type CountedEvent } from '../../../functions/sending/rate-watch';
import { bucketMsOf } from '../../../functions/sending/rate-window';

const WINDOW_MS = 24 * 3_600_000;
const SETTINGS = { windowMs: WINDOW_MS, minVolume: 10, warnAt: 0.02, alertAt: 0.05, reminderMs: 3 * 3_600_000 };
const START = Date.parse('2026-11-20T14:00:00Z');

const delivered = (senderDomain: string): CountedEvent => ({ type: 'delivered', senderDomain, recipientDomains: [] });
const bounced = (senderDomain: string): CountedEvent => ({
  type: 'permanent_failure',
  senderDomain,
  recipientDomains: ['stale.example'],
});
const batch = (senderDomain: string, good: number, bad: number): CountedEvent[] => [
  ...Array.from({ length: good }, () => delivered(senderDomain)),
  ...Array.from({ length: bad }, () => bounced(senderDomain)),
];

/** A store whose calls are counted, by method. */
function countedStore(store: RateStore): { store: RateStore; calls: Record<string, number> } {
  const calls: Record<string, number> = {};
  const counted = (name: keyof RateStore) =>
    (async (...args: unknown[]) => {
      calls[name] = (calls[name] ?? 0) + 1;
      return (store[name] as (...a: unknown[]) => Promise<unknown>).apply(store, args);
    }) as never;
  return {
    store: { add: counted('add'), read: counted('read'), alertOf: counted('alertOf'), saveAlert: counted('saveAlert') },
    calls,
  };
}

function watchOver(store: RateStore, clock: { now: number }, posted: RateNotice[] = []): RateWatch {
  return new RateWatch({
    store,
    settings: SETTINGS,
    now: () => clock.now,
    logger: silentLogger,
    post: async (notice) => void posted.push(notice),
  });
}

describe('RateWatch, as the ingest consumer runs it (count, then check, per batch)', () => {
  it('costs one write per sender domain a batch: the closed buckets are read once per bucket, the alert once a minute', async () => {
    const clock = { now: START };
    const { store, calls } = countedStore(new MemoryRateStore());
    const watch = watchOver(store, clock);
    for (let i = 0; i < 20; i++) {
      await watchRates(watch, [...batch('a.example', 2, 0), ...batch('b.example', 1, 0)], silentLogger);
      clock.now += 1_000;
    }
    expect(calls.add).toBe(40);
    expect(calls.read).toBe(2);
    expect(calls.alertOf).toBe(2);
    // A new bucket: its closed buckets are read again; a minute on, the alert state too.
    clock.now = START + bucketMsOf(WINDOW_MS) + RATE_ALERT_CACHE_MS;
    await watchRates(watch, batch('a.example', 1, 0), silentLogger);
    expect(calls.read).toBe(3);
    expect(calls.alertOf).toBe(3);
  });

  it('decides on the whole window: buckets counted before it started, by others, and by its own adds', async () => {
    const clock = { now: START };
    const shared = new MemoryRateStore(undefined, () => clock.now);
    // An hour ago another consumer counted 1,000 delivered; this bucket, 20 hard bounces so far.
    await watchRates(watchOver(shared, { now: START - 3_600_000 }), batch('a.example', 1000, 0), silentLogger);
    await watchRates(watchOver(shared, clock), batch('a.example', 0, 20), silentLogger);
    const posted: RateNotice[] = [];
    const watch = watchOver(shared, clock, posted);
    await watchRates(watch, batch('a.example', 0, 10), silentLogger);
    // 20 of 1,020 (1.96 %) was under warnAt (2 %); 30 of 1,030 is over it.
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatchObject({ state: 'problem', level: 'warning', hard: 30, total: 1030 });
  });

  it('decides again from a fresh state when a save finds the alert changed by another consumer', async () => {
    const clock = { now: START };
    const shared = new MemoryRateStore(undefined, () => clock.now);
    const mine: RateNotice[] = [];
    const theirs: RateNotice[] = [];
    const watch = watchOver(shared, clock, mine);
    // This consumer knows the domain quiet; then another consumer's batch raises the alert.
    await watchRates(watch, batch('a.example', 100, 0), silentLogger);
    await watchRates(watchOver(shared, clock, theirs), batch('a.example', 0, 10), silentLogger);
    expect(theirs.map((n) => n.state)).toEqual(['problem']);
    // Its kept "no alert" decides a problem, which the save refuses; the fresh state has it up, nothing new to post.
    clock.now += 1_000;
    await watchRates(watch, batch('a.example', 0, 1), silentLogger);
    expect(mine).toEqual([]);
    // Having read it afresh, it resolves the alert as soon as the rate drops.
    clock.now += 1_000;
    await watchRates(watch, batch('a.example', 2000, 0), silentLogger);
    expect(mine.map((n) => n.state)).toEqual(['resolved']);
    expect(theirs).toHaveLength(1);
  });

  it('sees an alert another consumer raised within RATE_ALERT_CACHE_MS, even when nothing it decides is saved', async () => {
    const clock = { now: START };
    const shared = new MemoryRateStore(undefined, () => clock.now);
    const mine: RateNotice[] = [];
    const watch = watchOver(shared, clock, mine);
    await watchRates(watch, batch('a.example', 100, 0), silentLogger);
    await watchRates(watchOver(shared, clock), batch('a.example', 0, 10), silentLogger);
    // The rate drops at once, but this consumer still keeps "no alert": nothing to resolve yet.
    clock.now += 1_000;
    await watchRates(watch, batch('a.example', 2000, 0), silentLogger);
    expect(mine).toEqual([]);
    clock.now += RATE_ALERT_CACHE_MS;
    await watchRates(watch, batch('a.example', 1, 0), silentLogger);
    expect(mine.map((n) => n.state)).toEqual(['resolved']);
  });
});
