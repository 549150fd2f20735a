import { recipientFingerprint } from '../alerts';
import type { DetailLevel } from '../config';
import type { EventType, RelayEvent } from '../paubox';

/**
 * One archived event: a JSON line in S3 (deployed) or under the data dir (locally), read by the same SQL on Athena
 * and DuckDB. Names are snake_case so that both engines, and Glue, read them alike.
 */
export interface ArchiveRecord {
  /** The relay's de-duplication key: the SQL counts each key once, whatever the redeliveries. */
  readonly key: string;
  readonly event_type: EventType;
  /** ISO 8601 UTC, as Paubox reported it; ISO strings of one format compare in time order in both engines. */
  readonly event_time: string;
  /** When the event reached the archive; its day names the partition (`dt=YYYY-MM-DD`). */
  readonly archived_at: string;
  readonly paubox_id?: string;
  readonly source_tracking_id?: string;
  readonly message_id?: string;
  readonly sender: string;
  readonly sender_domain: string;
  readonly recipient_domains: readonly string[];
  /** Keyed and short: counts unique recipients and tells repeated failures apart without saying who. */
  readonly recipient_fingerprints: readonly string[];
  /** `recipient` and `full` only. */
  readonly recipients?: readonly string[];
  /** `full` only. */
  readonly subject?: string;
  /** `full` only. */
  readonly custom_headers?: Readonly<Record<string, string>>;
  /** The level the line was written at. */
  readonly detail: DetailLevel;
}

export interface ArchiveOptions {
  readonly detail: DetailLevel;
  /** The notifiers' fingerprint key, so that fingerprints in the archive match those in alerts. */
  readonly fingerprintKey: string;
}

/** The part of an event the archive may keep at its level; nothing else is ever copied. */
export function toArchiveRecord(event: RelayEvent, options: ArchiveOptions, archivedAt: Date): ArchiveRecord {
  const { detail } = options;
  return {
    key: event.key,
    event_type: event.type,
    event_time: event.time,
    archived_at: archivedAt.toISOString(),
    ...(event.pauboxId !== undefined ? { paubox_id: event.pauboxId } : {}),
    ...(event.sourceTrackingId !== undefined ? { source_tracking_id: event.sourceTrackingId } : {}),
    ...(event.messageId !== undefined ? { message_id: event.messageId } : {}),
    sender: event.sender,
    sender_domain: event.senderDomain,
    recipient_domains: event.recipientDomains,
    recipient_fingerprints: event.recipients.map((r) => recipientFingerprint(r, options.fingerprintKey)),
    ...(detail !== 'minimal' ? { recipients: event.recipients } : {}),
    ...(detail === 'full'
      ? {
          custom_headers: lowerCaseNames(event.customHeaders),
          ...(event.subject !== undefined ? { subject: event.subject } : {}),
        }
      : {}),
    detail,
  };
}

/**
 * Header names in lower case: they are case-insensitive (RFC 5322), and Athena's JSON SerDes differ in whether they
 * keep a map key's case, so a report asks for the lower-case name and finds it with any engine. Of two names that
 * differ only in case, the first is kept.
 */
function lowerCaseNames(headers: Readonly<Record<string, string>>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const key = name.toLowerCase();
    if (!Object.hasOwn(lowered, key)) lowered[key] = value;
  }
  return lowered;
}

/** `2026-11-20`: the UTC day of a time, as the partition value `dt`. */
export function partitionDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** The archive's one line per event. */
export function archiveLine(record: ArchiveRecord): string {
  return `${JSON.stringify(record)}\n`;
}
