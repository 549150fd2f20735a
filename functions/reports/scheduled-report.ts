import type { ReportPeriod } from '../config';
import type { QueryEngine } from './engine';
import { rangeEndingAt } from './queries';
import { encodeQueuedReport, reportKey } from './queued-report';
import { summarize } from './summary';

/** What a report schedule passes to the report function. */
export interface ReportInput {
  readonly every: ReportPeriod;
  readonly to: readonly string[];
  readonly header?: string;
  /** The schedule's own time for this run (`<aws.scheduler.scheduled-time>`): a retry reports the same period. */
  readonly scheduledTime: string;
}

const PERIOD_MS: Readonly<Record<ReportPeriod, number>> = { day: 86_400_000, week: 7 * 86_400_000 };

/** Puts a queue message on a destination's queue. */
export type ReportQueue = (destination: string, body: string) => Promise<void>;

/**
 * Runs a scheduled report: the summary of the period ending at the scheduled time, queued once to each
 * destination. A retried run sends the same key, which each notifier posts at most once.
 */
export async function runScheduledReport(input: ReportInput, engine: QueryEngine, queue: ReportQueue): Promise<string> {
  const end = new Date(input.scheduledTime);
  if (Number.isNaN(end.getTime()) || !(input.every in PERIOD_MS) || input.to.length === 0) {
    throw new Error('the schedule input needs every (day or week), to (destination names) and scheduledTime');
  }
  const summary = await summarize(engine, rangeEndingAt(end, PERIOD_MS[input.every]), input.header);
  const key = reportKey(input.every, end);
  const body = encodeQueuedReport(key, summary);
  for (const destination of input.to) await queue(destination, body);
  return key;
}
