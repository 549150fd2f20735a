import { MemoryDedupStore } from '../../../../functions/delivery/dedup/memory-store';

describe('MemoryDedupStore', () => {
  it('claims once, reports done after posting, busy while a live claim is held, and lets a dead letter be redriven', async () => {
    let now = 0;
    const store = new MemoryDedupStore(() => now);
    expect(await store.claim('ops', 'a', 1000)).toBe('claimed');
    expect(await store.claim('ops', 'a', 1000)).toBe('busy');
    expect(await store.claim('teams', 'a', 1000)).toBe('claimed');
    now = 1001;
    expect(await store.claim('ops', 'a', 1000)).toBe('claimed'); // the lease ran out: the holder died
    await store.confirm('ops', 'a', 'posted');
    expect(await store.claim('ops', 'a', 1000)).toBe('done');
    await store.confirm('teams', 'a', 'dead');
    expect(await store.claim('teams', 'a', 1000)).toBe('claimed');
    await store.release('teams', 'a');
    expect(await store.claim('teams', 'a', 1000)).toBe('claimed');
  });
});
