import { MemoryPacer } from '../../../../functions/delivery/pacing/memory-pacer';

const T0 = 1_800_000_000_000;

describe('MemoryPacer', () => {
  it('gives each post its own slot, one interval after the one before, per destination', async () => {
    let now = T0;
    const pacer = new MemoryPacer(() => now);
    expect(await pacer.reserve('ops', 1000, Infinity)).toBe(T0);
    expect(await pacer.reserve('ops', 1000, Infinity)).toBe(T0 + 1000);
    expect(await pacer.reserve('care', 1000, Infinity)).toBe(T0);
    now = T0 + 5000;
    expect(await pacer.reserve('ops', 1000, Infinity)).toBe(T0 + 5000);
  });

  it('reserves nothing when the next slot starts too late, and holds slots back after a 429', async () => {
    const pacer = new MemoryPacer(() => T0);
    await pacer.reserve('ops', 1000, Infinity);
    expect(await pacer.reserve('ops', 1000, T0 + 999)).toBeUndefined();
    expect(await pacer.reserve('ops', 1000, T0 + 1000)).toBe(T0 + 1000);
    await pacer.holdUntil('ops', T0 + 30_000);
    expect(await pacer.reserve('ops', 1000, Infinity)).toBe(T0 + 30_000);
    // A hold never brings a later reservation forward.
    await pacer.holdUntil('ops', T0 + 2000);
    expect(await pacer.reserve('ops', 1000, Infinity)).toBe(T0 + 31_000);
  });
});
