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
