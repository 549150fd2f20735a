import type { DeliverabilitySummary, PeriodFigures } from './summary';

/**
 * A report on its way to a destination, as a queue message: it travels the destination's own queue, so the notifier
 * posts it with the same retries, pacing, de-duplication (by `key`) and dead letters as an alert.
 */
export interface QueuedReport {
  readonly kind: 'paubox-relay-report';
  /** Same schedule and period, same key: a report retried by the scheduler is posted once. */
  readonly key: string;
  readonly summary: DeliverabilitySummary;
}

export const REPORT_KIND = 'paubox-relay-report';

/** `report-week-2026-03-16T08:00:00.000Z`. */
export function reportKey(every: string, until: Date): string {
  return `report-${every}-${until.toISOString()}`;
}

export function encodeQueuedReport(key: string, summary: DeliverabilitySummary): string {
  const report: QueuedReport = { kind: REPORT_KIND, key, summary };
  return JSON.stringify(report);
}

const isNumber = (v: unknown): boolean => typeof v === 'number' && Number.isFinite(v);
const isRate = (v: unknown): boolean => v === null || isNumber(v);
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const listOf = (v: unknown, item: (x: Record<string, unknown>) => boolean): boolean =>
  Array.isArray(v) && v.every((x) => isObject(x) && item(x));

function isFigures(v: Record<string, unknown>): boolean {
  const counts: (keyof PeriodFigures)[] = [
    'delivered',
    'opened',
    'temporary_failure',
    'permanent_failure',
    'uniqueRecipients',
  ];
  return counts.every((k) => isNumber(v[k])) && [v.bounceRate, v.hardBounceRate, v.softBounceRate].every(isRate);
}

const domainCount = (x: Record<string, unknown>) => typeof x.domain === 'string' && isNumber(x.count);

/** Whether a queue message is a report at all (then a malformed one is dead-lettered as a report, not an event). */
export function looksLikeQueuedReport(body: string): boolean {
  return body.includes(`"kind":"${REPORT_KIND}"`);
}

/** Checks a report message down to each field the renderers read; undefined when it is not a well-formed one. */
export function decodeQueuedReport(body: string): QueuedReport | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (!isObject(value) || value.kind !== REPORT_KIND || typeof value.key !== 'string' || !isObject(value.summary)) {
    return undefined;
  }
  const s = value.summary;
  const header = s.failuresByHeader;
  const ok =
    ['since', 'until', 'previousSince'].every((k) => typeof s[k] === 'string') &&
    isFigures(s) &&
    isObject(s.previous) &&
    isFigures(s.previous) &&
    listOf(s.previous.topFailingRecipientDomains, domainCount) &&
    listOf(s.topFailingRecipientDomains, domainCount) &&
    listOf(s.failuresBySenderDomain, (x) => typeof x.domain === 'string' && isNumber(x.failures)) &&
    (header === undefined ||
      (isObject(header) &&
        typeof header.header === 'string' &&
        listOf(header.values, (x) => (x.value === null || typeof x.value === 'string') && isNumber(x.failures))));
  return ok ? (value as unknown as QueuedReport) : undefined;
}
