import { intervalMsOf } from '../../../../functions/delivery/pacing/pacer';

describe('intervalMsOf', () => {
  it('turns messages per second into whole milliseconds with a 10% margin for network jitter, rounding up', () => {
    expect(intervalMsOf(1)).toBe(1100);
    expect(intervalMsOf(3)).toBe(367);
    expect(intervalMsOf(0.5)).toBe(2200);
  });
});
