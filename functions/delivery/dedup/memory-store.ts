import type { ClaimResult, DedupStore, FinalState } from './dedup-store';

interface Entry {
  state: 'sending' | FinalState;
  leaseUntil: number;
}

/** The same rules in memory, for the local relay and tests. */
export class MemoryDedupStore implements DedupStore {
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly now: () => number = Date.now) {}

  async claim(destination: string, key: string, leaseMs: number): Promise<ClaimResult> {
    const id = `${destination}#${key}`;
    const entry = this.entries.get(id);
    if (entry?.state === 'posted') return 'done';
    if (entry?.state === 'sending' && entry.leaseUntil > this.now()) return 'busy';
    this.entries.set(id, { state: 'sending', leaseUntil: this.now() + leaseMs });
    return 'claimed';
  }

  async confirm(destination: string, key: string, state: FinalState): Promise<void> {
    this.entries.set(`${destination}#${key}`, { state, leaseUntil: 0 });
  }

  async release(destination: string, key: string): Promise<void> {
    const id = `${destination}#${key}`;
    if (this.entries.get(id)?.state === 'sending') this.entries.delete(id);
  }
}
