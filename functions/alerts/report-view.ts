import type { DetailLevel } from '../config';
import type { DeliverabilitySummary } from '../reports';

/**
 * A deliverability summary as one destination may see it. The summary holds counts and domains, which every
 * level may see; a custom header's values are kept only for `full` destinations.
 */
export interface ReportView {
  readonly report: true;
  /** "Deliverability: last 7 days". */
  readonly title: string;
  readonly summary: DeliverabilitySummary;
  /** The report's id: the same schedule and period always give the same key, so a retry is not posted twice. */
  readonly key: string;
  readonly destination: string;
  readonly detail: DetailLevel;
}

export function isReportView(view: object): view is ReportView {
  return 'report' in view && (view as { report: unknown }).report === true;
}

const HOUR_MS = 3_600_000;

/** "last 24 hours", "last 7 days", "last 36 hours". */
export function periodLabel(summary: Pick<DeliverabilitySummary, 'since' | 'until'>): string {
  const hours = Math.round((Date.parse(summary.until) - Date.parse(summary.since)) / HOUR_MS);
  if (!Number.isFinite(hours) || hours <= 0) return 'the period';
  return hours % 24 === 0 && hours > 24 ? `last ${hours / 24} days` : `last ${hours} hours`;
}

export function toReportView(
  summary: DeliverabilitySummary,
  options: { readonly key: string; readonly destination: string; readonly detail: DetailLevel },
): ReportView {
  const { failuresByHeader, ...rest } = summary;
  return {
    report: true,
    title: `Deliverability: ${periodLabel(summary)}`,
    summary: options.detail === 'full' && failuresByHeader ? { ...rest, failuresByHeader } : rest,
    key: options.key,
    destination: options.destination,
    detail: options.detail,
  };
}
