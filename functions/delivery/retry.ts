import { DeliveryError } from '../chat';

/**
 * When an alert that failed is tried again. A failed try never holds its destination: the alert steps aside (handed
 * back to its queue, not visible again before its backoff) and the destination goes on with the next alert at once.
 * Each receive of an alert is one try, so the queue's maxReceiveCount is the number of tries before its dead letter.
 * Every platform answer is classified in exactly one place, here.
 */
export interface RetryPolicy {
  /** Backoff after the first failed try, before jitter; doubles with each try. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Used when a 429 carries no `Retry-After`. */
  readonly defaultRetryAfterMs: number;
}

/**
 * Tries of an alert before its dead letter, one a receive: the destination queue's default maxReceiveCount, and the
 * local relay's. As many as when each of five receives made five attempts, so that a platform's outage of minutes
 * is outlasted as before.
 */
export const DELIVERY_TRIES = 25;

/**
 * Backoff from about a second, doubling (with the alert's age) to 60 s: the 24 waits between DELIVERY_TRIES tries of
 * an alert that keeps failing add up to 7 to 18 minutes (about 12 in the jitter's middle), the window the relay rode
 * out outages with before.
 */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 60_000,
  defaultRetryAfterMs: 1_000,
};

export type DeliveryOutcome =
  /**
   * `unconfirmed`: the request was sent but no reply came within the timeout. Slack and Teams do their work
   * before replying, so the alert has most likely been posted; it is not sent again (README: "When the outcome
   * is unknown").
   */
  | { readonly kind: 'posted'; readonly attempts: number; readonly rateLimited: number; readonly unconfirmed: boolean }
  /**
   * Not posted, may succeed later: the queue redelivers the record, not before `notBeforeMs` (the backoff of a
   * failed try, or the platform's 429 Retry-After); without it, the queue's own delay.
   */
  | {
      readonly kind: 'retry_later';
      readonly attempts: number;
      readonly rateLimited: number;
      readonly reason: string;
      readonly notBeforeMs?: number;
    }
  /** A failure that cannot succeed on retry (revoked webhook, archived channel, invalid payload). */
  | {
      readonly kind: 'dead';
      readonly attempts: number;
      readonly rateLimited: number;
      readonly reason: string;
      readonly status?: number;
    };

export interface DeliveryContext {
  readonly policy: RetryPolicy;
  /** Milliseconds left in this invocation for sending (including waiting for a send slot). */
  readonly remainingMs: () => number;
  /** How long one send may take; a send is only started when it can finish in the time left. */
  readonly sendTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1); for jitter. */
  readonly random: () => number;
  /** Which try of the alert this is (its receive count): sets the backoff before the next. @default 1 */
  readonly tryNumber?: number;
  /**
   * How long the alert has been in its queue. When known, its backoff grows with it (the next try about twice as
   * old) rather than with the try number: hand-backs that sent nothing (a 429's pause, no send slot) count as
   * receives but must not lengthen the wait after a real failure.
   */
  readonly ageMs?: number;
  /**
   * Waits for the destination's next send slot (its rate limit); else says why the alert is handed back unsent (no
   * slot starts within the time left, or a 429 paused the destination meanwhile) and not before when.
   */
  readonly waitForSlot?: () => Promise<true | Unsent>;
  /** Called on a 429 with how long the platform asked not to be called (Retry-After, else the default). */
  readonly onRateLimited?: (waitMs: number) => Promise<void>;
}

/** Why a record is handed back when the destination's rate limit leaves no send slot in this invocation. */
export const NO_SEND_SLOT = 'no_send_slot';

/**
 * Why a record is handed back unsent while a 429's Retry-After pauses its destination: it comes back when the pause
 * ends, with what accumulated meanwhile, and goes out with it (notify/post.ts: a backlog).
 */
export const RATE_LIMIT_PAUSE = 'rate_limit_pause';

/** A post handed back without being sent, and not before when. */
export interface Unsent {
  readonly reason: string;
  readonly notBeforeMs?: number;
}

/**
 * Exponential backoff with jitter (half to all of the ceiling): spreads retries of many records so they do not hammer
 * the platform together. The ceiling doubles with each try, or is the alert's age when known (`ageMs`).
 */
export function backoffMs(policy: RetryPolicy, tryNumber: number, random: () => number, ageMs?: number): number {
  const grown = ageMs !== undefined ? ageMs : policy.baseDelayMs * 2 ** (Math.max(1, tryNumber) - 1);
  const ceiling = Math.min(policy.maxDelayMs, Math.max(policy.baseDelayMs, grown));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/**
 * Makes one try and says what became of the alert. A retryable failure is not waited out here: the alert is
 * handed back with its backoff (a 429's Retry-After also pauses the whole destination, through `onRateLimited`).
 */
export async function deliver(send: () => Promise<void>, context: DeliveryContext): Promise<DeliveryOutcome> {
  const slot = context.waitForSlot ? await context.waitForSlot() : true;
  if (slot !== true) return { kind: 'retry_later', attempts: 0, rateLimited: 0, ...slot };
  let error: DeliveryError;
  try {
    await send();
    return { kind: 'posted', attempts: 1, rateLimited: 0, unconfirmed: false };
  } catch (caught) {
    error = caught instanceof DeliveryError ? caught : new DeliveryError('unexpected_error', true);
  }
  if (error.reason === 'timeout') return { kind: 'posted', attempts: 1, rateLimited: 0, unconfirmed: true };
  if (!error.retryable)
    return { kind: 'dead', attempts: 1, rateLimited: 0, reason: error.reason, status: error.status };
  if (error.status === 429) {
    const waitMs =
      error.retryAfterSeconds !== undefined
        ? Math.ceil(error.retryAfterSeconds * 1000)
        : context.policy.defaultRetryAfterMs;
    await context.onRateLimited?.(waitMs);
    // Back when the pause ends, with what waited through it: one backlog, planned as a storm is.
    return { kind: 'retry_later', attempts: 1, rateLimited: 1, reason: error.reason, notBeforeMs: waitMs };
  }
  const notBeforeMs = backoffMs(context.policy, context.tryNumber ?? 1, context.random, context.ageMs);
  return { kind: 'retry_later', attempts: 1, rateLimited: 0, reason: error.reason, notBeforeMs };
}
