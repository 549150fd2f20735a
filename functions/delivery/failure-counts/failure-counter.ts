/**
 * How often a recipient's messages failed: each failure is recorded under the recipient's keyed fingerprint (never
 * the address), once per event however often it is recorded, and the count covers the 24 h up to the event.
 */
export interface FailureCounter {
  /**
   * Records the failure `eventKey` of the recipient `fingerprint` at `atMs`, and returns how many failures that
   * recipient has had in the 24 h up to `atMs`, this one included. Recording the same event again changes nothing.
   */
  record(fingerprint: string, eventKey: string, atMs: number): Promise<number>;
}

export const FAILURE_WINDOW_MS = 24 * 3600 * 1000;

/** Failures kept per recipient; beyond it, the count says at least this many. */
export const MAX_FAILURES_KEPT = 1000;

/** One failure as stored: `<epoch seconds>:<event key>`; the same event always gives the same entry. */
export function failureEntry(eventKey: string, atMs: number): string {
  return `${Math.floor(atMs / 1000)}:${eventKey.slice(0, 32)}`;
}

/** The time of an entry, in milliseconds. */
export function entryTime(entry: string): number {
  return Number(entry.slice(0, entry.indexOf(':'))) * 1000;
}

/** Entries in the 24 h up to `atMs`. */
export function countWithin(entries: Iterable<string>, atMs: number): number {
  let count = 0;
  for (const entry of entries) {
    const t = entryTime(entry);
    if (t <= atMs && t > atMs - FAILURE_WINDOW_MS) count++;
  }
  return count;
}

/**
 * Entries no count can need any more: older than a day before the newest. Relative to the newest entry, not to the
 * clock, so that events replayed long after they happened are still counted among themselves.
 */
export function staleEntries(entries: Iterable<string>): string[] {
  const all = [...entries];
  const newest = Math.max(...all.map(entryTime));
  return all.filter((entry) => entryTime(entry) <= newest - FAILURE_WINDOW_MS);
}
