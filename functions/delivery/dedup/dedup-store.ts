/**
 * Exactly-once posting per destination and event: a notifier claims an event's key before sending and
 * confirms after. SNS/SQS redelivery, a retried batch, or the same webhook arriving twice all meet the
 * claim and are not posted again.
 */
export type ClaimResult =
  /** Ours to send. */
  | 'claimed'
  /** Already posted: nothing to do. (A dead-lettered event can be claimed again, so that a redrive posts it.) */
  | 'done'
  /** Another invocation holds a live claim: try again later. */
  | 'busy';

export type FinalState = 'posted' | 'dead';

export interface DedupStore {
  /** @param leaseMs how long the claim holds if this invocation dies before confirming or releasing */
  claim(destination: string, key: string, leaseMs: number): Promise<ClaimResult>;
  /** Records the final state; `dead` can be claimed again, so that a redrive posts it. */
  confirm(destination: string, key: string, state: FinalState): Promise<void>;
  /** Gives a claim back after a send that certainly did not post, so a redelivery can try again. */
  release(destination: string, key: string): Promise<void>;
}

/** How long a posted key is remembered: longer than any redelivery (SQS keeps messages at most 14 days). */
export const DEDUP_RETENTION_SECONDS = 15 * 24 * 3600;

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
