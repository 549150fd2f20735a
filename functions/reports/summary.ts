import type { QueryEngine, Row } from './engine';
import { rangeParameters, type ReportRange } from './queries';

/** Counts and rates of one period. */
export interface PeriodFigures {
  readonly delivered: number;
  readonly opened: number;
  readonly temporary_failure: number;
  readonly permanent_failure: number;
  /** Distinct recipients (by keyed fingerprint) among the period's events. */
  readonly uniqueRecipients: number;
  /** (temporary + permanent failures) / (delivered + temporary + permanent failures); null without outcomes. */
  readonly bounceRate: number | null;
  /** permanent failures / delivery outcomes. */
  readonly hardBounceRate: number | null;
  /** temporary failures / delivery outcomes. */
  readonly softBounceRate: number | null;
}

export interface DomainCount {
  readonly domain: string;
  readonly count: number;
}

export interface SenderDomainFailures {
  readonly domain: string;
  readonly failures: number;
  readonly permanent_failure: number;
  /** Delivered plus failed events from the domain. */
  readonly outcomes: number;
}

export interface HeaderValueFailures {
  /** null: events without the header (or archived below detail `full`). */
  readonly value: string | null;
  readonly failures: number;
  readonly outcomes: number;
}

/**
 * What `paubox-relay report` prints and the report card shows: the period's figures at the top level, the
 * previous period's beside them. Holds counts and domains; header values only when a header was asked for.
 */
export interface DeliverabilitySummary extends PeriodFigures {
  /** ISO 8601: the period is `[since, until)`, the previous one `[previousSince, since)`. */
  readonly since: string;
  readonly until: string;
  readonly previousSince: string;
  /** Most failures first; at most 10. */
  readonly topFailingRecipientDomains: readonly DomainCount[];
  readonly failuresBySenderDomain: readonly SenderDomainFailures[];
  readonly previous: PeriodFigures & { readonly topFailingRecipientDomains: readonly DomainCount[] };
  readonly failuresByHeader?: { readonly header: string; readonly values: readonly HeaderValueFailures[] };
}

const count = (value: string | null | undefined): number => (value == null ? 0 : Number(value));
const rate = (value: string | null | undefined): number | null => (value == null ? null : Number(value));

function figures(row: Row | undefined): PeriodFigures {
  return {
    delivered: count(row?.delivered),
    opened: count(row?.opened),
    temporary_failure: count(row?.temporary_failure),
    permanent_failure: count(row?.permanent_failure),
    uniqueRecipients: count(row?.unique_recipients),
    bounceRate: rate(row?.bounce_rate),
    hardBounceRate: rate(row?.hard_bounce_rate),
    softBounceRate: rate(row?.soft_bounce_rate),
  };
}

const inPeriod = (rows: Row[], period: 'current' | 'previous') => rows.filter((r) => r.period === period);

const domains = (rows: Row[]): DomainCount[] => rows.map((r) => ({ domain: r.domain ?? '', count: count(r.failures) }));

/** Runs every query for the range and puts the answers together. */
export async function summarize(
  engine: QueryEngine,
  range: ReportRange,
  header?: string,
): Promise<DeliverabilitySummary> {
  const parameters = rangeParameters(range, header);
  const [summary, recipientDomains, senderDomains, byHeader] = await Promise.all([
    engine.run('summary', parameters),
    engine.run('failing-recipient-domains', parameters),
    engine.run('failures-by-sender-domain', parameters),
    header !== undefined ? engine.run('failures-by-header', parameters) : Promise.resolve(undefined),
  ]);
  return {
    since: range.start.toISOString(),
    until: range.end.toISOString(),
    previousSince: range.previousStart.toISOString(),
    ...figures(inPeriod(summary, 'current')[0]),
    topFailingRecipientDomains: domains(inPeriod(recipientDomains, 'current')),
    failuresBySenderDomain: inPeriod(senderDomains, 'current').map((r) => ({
      domain: r.sender_domain ?? '',
      failures: count(r.failures),
      permanent_failure: count(r.permanent_failure),
      outcomes: count(r.outcomes),
    })),
    previous: {
      ...figures(inPeriod(summary, 'previous')[0]),
      topFailingRecipientDomains: domains(inPeriod(recipientDomains, 'previous')),
    },
    ...(header !== undefined && byHeader
      ? {
          failuresByHeader: {
            header,
            values: inPeriod(byHeader, 'current').map((r) => ({
              value: r.header_value ?? null,
              failures: count(r.failures),
              outcomes: count(r.outcomes),
            })),
          },
        }
      : {}),
  };
}
