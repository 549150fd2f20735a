import type { ReportView } from './report-view';
import type { DigestFact, DigestItem } from './digest-text';
import { formatCount } from './digest-text';
import { tidy, VALUE_LIMITS } from './clean-text';

/**
 * What every renderer shows of a report card, as cleaned and cut (not yet escaped) text, as `digest-text.ts` does
 * for digests. Domains and header values come from the archive: untrusted, so cleaned here and escaped by each
 * renderer.
 */

export interface ReportList {
  readonly label: string;
  readonly items: readonly DigestItem[];
}

/** `0.4545` → `45.5%`; null → `n/a`. */
export function formatRate(rate: number | null): string {
  return rate === null ? 'n/a' : `${(rate * 100).toFixed(1)}%`;
}

const day = (iso: string) => tidy(iso, VALUE_LIMITS.time).replace(/T00:00:00\.000Z$/, '');

/** Counts and rates, each beside the previous period's. */
export function reportFacts(view: ReportView): DigestFact[] {
  const s = view.summary;
  const p = s.previous;
  const counted = (label: string, now: number, before: number): DigestFact => ({
    label,
    value: `${formatCount(now)} (previous ${formatCount(before)})`,
  });
  return [
    { label: 'Period', value: `${day(s.since)} to ${day(s.until)} (UTC)` },
    counted('Delivered', s.delivered, p.delivered),
    counted('Opened', s.opened, p.opened),
    counted('Temporary failures', s.temporary_failure, p.temporary_failure),
    counted('Permanent failures', s.permanent_failure, p.permanent_failure),
    { label: 'Bounce rate', value: `${formatRate(s.bounceRate)} (previous ${formatRate(p.bounceRate)})` },
    { label: 'Hard / soft bounces', value: `${formatRate(s.hardBounceRate)} / ${formatRate(s.softBounceRate)}` },
    counted('Unique recipients', s.uniqueRecipients, p.uniqueRecipients),
  ];
}

/** The busiest failing domains (and header values, for `full` destinations), at most `max` items each. */
export function reportLists(view: ReportView, max: number): ReportList[] {
  const s = view.summary;
  const lists: ReportList[] = [
    {
      label: 'Top failing recipient domains',
      items: s.topFailingRecipientDomains
        .slice(0, max)
        .map((d) => ({ value: tidy(d.domain, VALUE_LIMITS.domain), count: d.count })),
    },
    {
      label: 'Failures by sender domain',
      items: s.failuresBySenderDomain
        .slice(0, max)
        .map((d) => ({ value: tidy(d.domain, VALUE_LIMITS.domain), count: d.failures })),
    },
  ];
  if (s.failuresByHeader) {
    lists.push({
      label: `Failures by ${tidy(s.failuresByHeader.header, VALUE_LIMITS.headerName)}`,
      items: s.failuresByHeader.values.slice(0, max).map((v) => ({
        value: v.value === null ? '(no value)' : tidy(v.value, VALUE_LIMITS.headerValue),
        count: v.failures,
      })),
    });
  }
  return lists.map((list) => (list.items.length > 0 ? list : { ...list, items: [{ value: 'none' }] }));
}

/** "Paubox alert relay · destination ops · report r-day-…": where a card came from. */
export function reportContextLine(view: ReportView): string {
  return [
    'Paubox alert relay',
    `destination ${tidy(view.destination, VALUE_LIMITS.destination)}`,
    `report ${tidy(view.key, VALUE_LIMITS.key)}`,
  ].join(' · ');
}

/** One line for notifications: counts only, no domain. */
export function reportSummaryLine(view: ReportView): string {
  const s = view.summary;
  return (
    `${tidy(view.title, 100)}: ${formatCount(s.permanent_failure)} permanent and ${formatCount(s.temporary_failure)} ` +
    `temporary failures, bounce rate ${formatRate(s.bounceRate)}`
  );
}
