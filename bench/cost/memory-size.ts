import { CANDIDATE_MEMORY_MB, DEFAULT_ASSUMPTIONS, type CostAssumptions, type MeasuredFunction } from './prices';
import { coldStartAt, estimateCost } from './relay-cost';

/* The memory size the measurements argue for, for each function. */

/** Headroom kept between the peak RSS measured and the memory size. */
export const RSS_HEADROOM = 0.75;

export interface MemoryChoice {
  readonly memoryMb: number;
  /** Modelled cold start at that size: the measured overhead stretched by its CPU share. */
  readonly coldStartMs: number;
  readonly perMillionEventsUsd: number;
  readonly why: string;
}

/**
 * The cheapest memory size for one function whose peak RSS fits with headroom and whose modelled cold start stays
 * within `coldStartBudgetMs` (CPU, and so start-up time, grows with memory up to 1,769 MB).
 */
export function chooseMemorySize(
  which: 'ingest' | 'notifier',
  ingest: MeasuredFunction,
  notifier: MeasuredFunction,
  peakRssBytes: number,
  coldStartBudgetMs: number,
  a: CostAssumptions = DEFAULT_ASSUMPTIONS,
): MemoryChoice {
  const measured = which === 'ingest' ? ingest : notifier;
  const options = CANDIDATE_MEMORY_MB.map((memoryMb) => {
    const at = { ...measured, memorySizeMb: memoryMb };
    const cost = which === 'ingest' ? estimateCost(at, notifier, a) : estimateCost(ingest, at, a);
    return {
      memoryMb,
      coldStartMs: coldStartAt(measured.coldStartMs, memoryMb),
      perMillionEventsUsd: cost.perMillionEventsUsd,
    };
  });
  const fits = options.filter(
    (o) => peakRssBytes <= o.memoryMb * 1024 * 1024 * RSS_HEADROOM && o.coldStartMs <= coldStartBudgetMs,
  );
  if (fits.length === 0) {
    const last = options[options.length - 1]!;
    return {
      ...last,
      why: `largest size, as no size meets a ${coldStartBudgetMs} ms cold start with ${Math.round(peakRssBytes / 2 ** 20)} MB RSS`,
    };
  }
  const best = fits.reduce((a2, b) => (b.perMillionEventsUsd < a2.perMillionEventsUsd - 1e-9 ? b : a2));
  return {
    ...best,
    why: `cheapest size with its peak RSS ≤ ${RSS_HEADROOM * 100}% of memory and a modelled cold start ≤ ${coldStartBudgetMs} ms`,
  };
}
