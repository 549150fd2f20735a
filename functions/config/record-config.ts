import * as z from 'zod/mini';
import { DETAIL_LEVELS, type DetailLevel } from './detail-levels';

/**
 * The deliverability record's configuration: what the archive keeps, which summaries are posted to chat, and
 * whether events go to EventBridge. Validated here and wired into `parseRelayConfig`.
 */

/** Every accepted event, kept as one JSON line at its own detail level. */
export interface ArchiveConfig {
  /**
   * What each archived line holds. `minimal`: event type, times, ids, sender and sender domain, recipient domains
   * and keyed fingerprints. `recipient` adds the addresses; `full` adds subject and custom headers (only for a
   * store covered by a BAA).
   * @default 'minimal'
   */
  readonly detail: DetailLevel;
  /**
   * Days an archived line is kept (deployed: the bucket's lifecycle; locally, nothing is deleted).
   * @default 365
   */
  readonly retentionDays: number;
}

export const REPORT_PERIODS = ['day', 'week'] as const;
export type ReportPeriod = (typeof REPORT_PERIODS)[number];

/** A deliverability summary posted to chat on a schedule, as one card per destination. */
export interface ReportConfig {
  /** Destinations that receive the card, through their own queue. */
  readonly to: readonly string[];
  /** `day`: the last 24 hours against the 24 before; `week`: the last 7 days against the 7 before. */
  readonly every: ReportPeriod;
  /**
   * Local time of day the card is posted, `HH:MM` (24-hour). Weekly cards go out on Mondays.
   * @default '08:00'
   */
  readonly at: string;
  /**
   * IANA time zone of `at`, such as `America/New_York`.
   * @default 'UTC'
   */
  readonly timeZone: string;
  /**
   * A custom header (such as a campaign header) to count failures by; its values are archived only at detail
   * `full`, and shown only to `full` destinations.
   * @default - no breakdown by header
   */
  readonly header?: string;
}

/** Events for automation. */
export interface AutomationConfig {
  /**
   * Put every event on a relay-owned EventBridge bus (source `paubox.alert-relay`, one detail type per event
   * type, the detail at the archive's detail level). Deployed only.
   * @default false
   */
  readonly eventBridge: boolean;
}

export const DEFAULT_ARCHIVE_CONFIG: ArchiveConfig = { detail: 'minimal', retentionDays: 365 };
export const MAX_RETENTION_DAYS = 3650;
const TIME_OF_DAY = /^([01]\d|2[0-3]):([0-5]\d)$/;
/** Custom header names as Paubox passes them: letters, digits and dashes. */
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,127}$/;

/** The schema fields added to the relay configuration's top level. */
export const recordConfigShape = {
  archive: z.optional(
    z.strictObject({
      detail: z.optional(z.enum(DETAIL_LEVELS)),
      retentionDays: z.optional(z.number()),
    }),
  ),
  reports: z.optional(
    z.array(
      z.strictObject({
        to: z.array(z.string()).check(z.minLength(1)),
        every: z.enum(REPORT_PERIODS),
        at: z.optional(z.string()),
        timeZone: z.optional(z.string()),
        header: z.optional(z.string()),
      }),
    ),
  ),
  automation: z.optional(z.strictObject({ eventBridge: z.optional(z.boolean()) })),
};

type RawRecordConfig = {
  archive?: { detail?: DetailLevel; retentionDays?: number };
  reports?: { to: string[]; every: ReportPeriod; at?: string; timeZone?: string; header?: string }[];
  automation?: { eventBridge?: boolean };
};

export interface RecordConfig {
  /** Absent: deployed stacks keep no archive (the local relay always keeps one, at the default level). */
  readonly archive?: ArchiveConfig;
  readonly reports?: readonly ReportConfig[];
  readonly automation?: AutomationConfig;
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Resolves the record's defaults and checks what the schema cannot: pushes each problem, with what to write
 * instead, onto `problems`.
 */
export function resolveRecordConfig(
  raw: RawRecordConfig,
  destinations: ReadonlySet<string>,
  problems: string[],
): RecordConfig {
  let archive: ArchiveConfig | undefined;
  if (raw.archive) {
    archive = { ...DEFAULT_ARCHIVE_CONFIG, ...raw.archive };
    const days = archive.retentionDays;
    if (!Number.isInteger(days) || days < 1 || days > MAX_RETENTION_DAYS) {
      problems.push(
        `archive.retentionDays: expected a whole number of days from 1 to ${MAX_RETENTION_DAYS}, got ${days}`,
      );
    }
  }
  const reports = raw.reports?.map((report, i): ReportConfig => {
    const where = `reports[${i}]`;
    report.to.forEach((name, j) => {
      if (!destinations.has(name)) {
        problems.push(
          `${where}.to[${j}]: no destination is named "${name}" (defined: ${[...destinations].join(', ')})`,
        );
      }
    });
    const at = report.at ?? '08:00';
    if (!TIME_OF_DAY.test(at)) problems.push(`${where}.at: expected a 24-hour time such as "08:00", got "${at}"`);
    const timeZone = report.timeZone ?? 'UTC';
    if (!isTimeZone(timeZone))
      problems.push(`${where}.timeZone: expected an IANA time zone such as "America/New_York"`);
    if (report.header !== undefined && !HEADER_NAME.test(report.header)) {
      problems.push(`${where}.header: expected a header name of letters, digits and dashes, such as "X-Campaign"`);
    }
    return {
      to: report.to,
      every: report.every,
      at,
      timeZone,
      ...(report.header !== undefined ? { header: report.header } : {}),
    };
  });
  if (reports && reports.length > 0 && !archive) {
    problems.push('reports: summaries are read from the archive; add "archive": {} (or remove "reports")');
  }
  return {
    ...(archive ? { archive } : {}),
    ...(reports && reports.length > 0 ? { reports } : {}),
    ...(raw.automation ? { automation: { eventBridge: raw.automation.eventBridge ?? false } } : {}),
  };
}

/** Whether a header name is one a report may count by (also checked for `report --header`). */
export function isReportHeaderName(name: string): boolean {
  return HEADER_NAME.test(name);
}

/** The detail level of archived lines and automation events: the archive's, else the default. */
export function recordDetail(config: RecordConfig): DetailLevel {
  return config.archive?.detail ?? DEFAULT_ARCHIVE_CONFIG.detail;
}
