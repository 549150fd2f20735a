import type { ArchiveRecord } from './record';

/** The `source` of every event the relay puts on its bus; rules match on it. */
export const AUTOMATION_SOURCE = 'paubox.alert-relay';
/** PutEvents takes at most this many entries a call. */
const MAX_ENTRIES = 10;

export interface AutomationEntry {
  readonly Source: string;
  /** The event type (`permanent_failure`, …): one detail type per event type, so a rule can match on it alone. */
  readonly DetailType: string;
  /** The archive record: the same fields, at the same detail level, as the archived line. */
  readonly Detail: string;
  readonly EventBusName: string;
  /** Paubox's event time, so rules and targets see when it happened rather than when it was relayed. */
  readonly Time: Date;
}

/** The bus entries of archived records, in PutEvents-sized chunks, each entry with the id of its queue message. */
export function automationEntries(
  items: readonly { readonly id: string; readonly record: ArchiveRecord }[],
  busName: string,
): { id: string; key: string; entry: AutomationEntry }[][] {
  const entries = items.map(({ id, record }) => {
    const time = new Date(record.event_time);
    return {
      id,
      key: record.key,
      entry: {
        Source: AUTOMATION_SOURCE,
        DetailType: record.event_type,
        Detail: JSON.stringify(record),
        EventBusName: busName,
        Time: Number.isNaN(time.getTime()) ? new Date(record.archived_at) : time,
      },
    };
  });
  const chunks: (typeof entries)[] = [];
  for (let i = 0; i < entries.length; i += MAX_ENTRIES) chunks.push(entries.slice(i, i + MAX_ENTRIES));
  return chunks;
}
