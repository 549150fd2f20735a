/**
 * The report queries, the Athena engine, the summary and queued reports: the face of reports/ (the local engine and the
 * SQL files read from disk have their own, reports/local, so that no Lambda bundles them).
 */
export { athenaEngine } from './athena-engine';
export type { QueryEngine } from './engine';
export {
  athenaForm,
  type AthenaQuery,
  QUERY_DESCRIPTIONS,
  QUERY_NAMES,
  type QueryName,
  rangeEndingAt,
} from './queries';
export { decodeQueuedReport, encodeQueuedReport, looksLikeQueuedReport, reportKey } from './queued-report';
export { type ReportInput, runScheduledReport } from './scheduled-report';
export { type DeliverabilitySummary, summarize } from './summary';
