/**
 * The deliverability questions, written once in SQL (`queries/<name>.sql`) with named parameters (`$start`), and
 * how each engine takes them: DuckDB binds the names; Athena takes `?` placeholders and positional values.
 * Both read a table `events` with a partition column `dt` (`YYYY-MM-DD`).
 */

export const QUERY_NAMES = [
  'summary',
  'failing-recipient-domains',
  'failures-by-sender-domain',
  'failures-by-header',
] as const;
export type QueryName = (typeof QUERY_NAMES)[number];

/** What each query answers, for the Athena console's saved queries. */
export const QUERY_DESCRIPTIONS: Readonly<Record<QueryName, string>> = {
  summary: 'Counts by event type, unique recipients and bounce rates, against the previous period',
  'failing-recipient-domains': 'Recipient domains with the most failures, against the previous period',
  'failures-by-sender-domain': 'Failures by sender domain, against the previous period',
  'failures-by-header': 'Failures by the value of one custom header (archived at detail full only)',
};

/** The values of a query's parameters; every value is a string literal. */
export type QueryParameters = Readonly<Record<string, string>>;

const PARAMETER = /\$([a-z_]+)/g;

/** The parameter names of a SQL text, in order of appearance (repeated as often as they appear). */
export function parameterOrder(sql: string): string[] {
  return [...sql.matchAll(PARAMETER)].map((m) => m[1]!);
}

/** A query as Athena runs it: `?` placeholders, and the parameter names in the order their values are given. */
export interface AthenaQuery {
  readonly sql: string;
  readonly parameters: readonly string[];
}

export function athenaForm(sql: string): AthenaQuery {
  return { sql: sql.replace(PARAMETER, '?'), parameters: parameterOrder(sql) };
}

/**
 * Athena's `ExecutionParameters`: each value as a quoted SQL literal, in placeholder order.
 * @throws Error naming a parameter the query needs and `values` lacks
 */
export function executionParameters(parameters: readonly string[], values: QueryParameters): string[] {
  return parameters.map((name) => {
    const value = values[name];
    if (value === undefined) throw new Error(`query parameter ${name} has no value`);
    return `'${value.replace(/'/g, "''")}'`;
  });
}

/** The time range of a report: `[start, end)` and the period of the same length before it. */
export interface ReportRange {
  readonly previousStart: Date;
  readonly start: Date;
  readonly end: Date;
}

const DAY_MS = 86_400_000;

/** The range ending at `end` and lasting `lengthMs`, with the period before it. */
export function rangeEndingAt(end: Date, lengthMs: number): ReportRange {
  return { previousStart: new Date(end.getTime() - 2 * lengthMs), start: new Date(end.getTime() - lengthMs), end };
}

/**
 * The parameters of every query for a range. Partitions are the day an event was archived, which is on or after
 * its event day: one day more at the end keeps late arrivals, and only the days in range are scanned.
 */
export function rangeParameters(range: ReportRange, header?: string): QueryParameters {
  const day = (at: Date) => at.toISOString().slice(0, 10);
  return {
    previous_start: range.previousStart.toISOString(),
    start: range.start.toISOString(),
    end: range.end.toISOString(),
    first_day: day(range.previousStart),
    last_day: day(new Date(range.end.getTime() + DAY_MS)),
    // The archive keeps header names in lower case (functions/archive/record.ts).
    ...(header !== undefined ? { header: header.toLowerCase() } : {}),
  };
}
