/**
 * The sliding window of a bounce rate, counted in buckets: a window is {@link BUCKETS_PER_WINDOW} buckets, and an
 * event counts while its bucket is one of the last that many, the current one included. So an event leaves the
 * window between (1 - 1/24) and 1 window after it arrived, and never stays longer than the window.
 */
export const BUCKETS_PER_WINDOW = 24;

/** How much of each sender domain's traffic a bucket holds. */
export interface RateCounts {
  readonly delivered: number;
  /** Hard bounces (permanent failures). */
  readonly hard: number;
  /** Soft bounces (temporary failures): shown beside the rate, never in it. */
  readonly soft: number;
  /** Hard bounces by recipient domain. */
  readonly hardByRecipientDomain: Readonly<Record<string, number>>;
}

export const NO_COUNTS: RateCounts = { delivered: 0, hard: 0, soft: 0, hardByRecipientDomain: {} };

export function bucketMsOf(windowMs: number): number {
  return Math.floor(windowMs / BUCKETS_PER_WINDOW);
}

/** The bucket an event at `atMs` falls in. */
export function bucketOf(atMs: number, windowMs: number): number {
  return Math.floor(atMs / bucketMsOf(windowMs));
}

/** The buckets of the window that ends at `nowMs`, oldest first. */
export function windowBuckets(nowMs: number, windowMs: number): number[] {
  const current = bucketOf(nowMs, windowMs);
  return Array.from({ length: BUCKETS_PER_WINDOW }, (_, i) => current - BUCKETS_PER_WINDOW + 1 + i);
}

/** When a bucket can be forgotten: once it has left every window, plus an hour for clocks that disagree. */
export function bucketExpiresAtMs(bucket: number, windowMs: number): number {
  return (bucket + BUCKETS_PER_WINDOW + 1) * bucketMsOf(windowMs) + 3_600_000;
}

export function addCounts(a: RateCounts, b: RateCounts): RateCounts {
  const byDomain: Record<string, number> = { ...a.hardByRecipientDomain };
  for (const [domain, n] of Object.entries(b.hardByRecipientDomain)) byDomain[domain] = (byDomain[domain] ?? 0) + n;
  return {
    delivered: a.delivered + b.delivered,
    hard: a.hard + b.hard,
    soft: a.soft + b.soft,
    hardByRecipientDomain: byDomain,
  };
}

/** Hard bounces over delivered plus hard bounces; 0 for an empty window. */
export function bounceRate(counts: Pick<RateCounts, 'delivered' | 'hard'>): number {
  const total = counts.delivered + counts.hard;
  return total === 0 ? 0 : counts.hard / total;
}
