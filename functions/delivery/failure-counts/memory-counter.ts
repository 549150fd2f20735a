import { countWithin, failureEntry, staleEntries, type FailureCounter } from './failure-counter';

/** The local relay's counter, in memory; entries more than a day older than a recipient's newest are dropped. */
export class MemoryFailureCounter implements FailureCounter {
  private readonly byRecipient = new Map<string, Set<string>>();

  async record(fingerprint: string, eventKey: string, atMs: number): Promise<number> {
    const entries = this.byRecipient.get(fingerprint) ?? new Set<string>();
    entries.add(failureEntry(eventKey, atMs));
    for (const entry of staleEntries(entries)) entries.delete(entry);
    this.byRecipient.set(fingerprint, entries);
    return Math.max(1, countWithin(entries, atMs));
  }

  /** What is kept, for tests: fingerprint → entries. */
  stored(): ReadonlyMap<string, ReadonlySet<string>> {
    return this.byRecipient;
  }
}
