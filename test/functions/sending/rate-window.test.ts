import {
  addCounts,
  bounceRate,
  bucketExpiresAtMs,
  bucketMsOf,
  bucketOf,
  BUCKETS_PER_WINDOW,
  NO_COUNTS,
  windowBuckets,
} from '../../../functions/sending/rate-window';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** The start of a bucket of a 24 h window (hourly buckets). */
const T = 1_800_000 * HOUR;

/** Whether an event at `at` counts in the window that ends at `now`. */
const counts = (at: number, now: number, windowMs = DAY) =>
  windowBuckets(now, windowMs).includes(bucketOf(at, windowMs));

describe('the sliding window', () => {
  it('is 24 buckets, the current one last', () => {
    const buckets = windowBuckets(T + 10, DAY);
    expect(buckets).toHaveLength(BUCKETS_PER_WINDOW);
    expect(buckets.at(-1)).toBe(bucketOf(T + 10, DAY));
    expect(buckets[0]).toBe(bucketOf(T, DAY) - 23);
    expect(bucketMsOf(DAY)).toBe(HOUR);
  });

  it('counts an event from its own millisecond on', () => {
    expect(counts(T, T)).toBe(true);
    expect(counts(T + HOUR - 1, T + HOUR - 1)).toBe(true);
  });

  it('drops an event at the start of a bucket exactly one window later, and not a millisecond before', () => {
    expect(counts(T, T + DAY - 1)).toBe(true);
    expect(counts(T, T + DAY)).toBe(false);
  });

  it('drops an event at the end of a bucket 23 h and 1 ms later: never kept longer than the window', () => {
    const at = T + HOUR - 1;
    expect(counts(at, T + DAY - 1)).toBe(true);
    expect(counts(at, T + DAY)).toBe(false);
    expect(T + DAY - at).toBe(23 * HOUR + 1);
  });

  it('scales with the window: 6 h of 15-minute buckets', () => {
    const window = 6 * HOUR;
    expect(bucketMsOf(window)).toBe(15 * 60_000);
    expect(counts(T, T + window - 1, window)).toBe(true);
    expect(counts(T, T + window, window)).toBe(false);
  });

  it('keeps a bucket until it has left every window', () => {
    const bucket = bucketOf(T, DAY);
    const lastWindowHoldingIt = T + DAY - 1;
    expect(bucketExpiresAtMs(bucket, DAY)).toBeGreaterThan(lastWindowHoldingIt);
  });

  it('adds counts, recipient domains included, and divides hard bounces by delivered plus hard', () => {
    const a = { delivered: 939, hard: 40, soft: 3, hardByRecipientDomain: { 'a.example': 40 } };
    const b = { delivered: 0, hard: 21, soft: 1, hardByRecipientDomain: { 'a.example': 1, 'b.example': 20 } };
    const sum = addCounts(a, b);
    expect(sum).toEqual({
      delivered: 939,
      hard: 61,
      soft: 4,
      hardByRecipientDomain: { 'a.example': 41, 'b.example': 20 },
    });
    expect(bounceRate(sum)).toBeCloseTo(0.061, 10);
    expect(bounceRate(NO_COUNTS)).toBe(0);
  });
});
