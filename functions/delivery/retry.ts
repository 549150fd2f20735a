import { DeliveryError } from '../chat';

/**
 * How one notifier invocation retries a send before handing the record back to its queue.
 * Every platform answer is classified in exactly one place, here.
 */
export interface RetryPolicy {
  /** Attempts within one invocation (the queue redelivers afterwards). */
  readonly maxAttempts: number;
  /** First backoff before jitter; doubles with each attempt. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** A `Retry-After` longer than this hands the record back to the queue instead of waiting. */
  readonly maxRetryAfterMs: number;
  /** Used when a 429 carries no `Retry-After`. */
  readonly defaultRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 20_000,
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
   * Retryable failures outlasted this invocation's attempts or time: the queue redelivers the record later,
   * not before `notBeforeMs` when the platform asked for a wait (429 Retry-After).
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
  /** Milliseconds left in this invocation for sending (including waiting between attempts). */
  readonly remainingMs: () => number;
  /** How long one send may take; a retry is only started when it can finish in the time left. */
  readonly sendTimeoutMs: number;
  readonly sleep: (ms: number) => Promise<void>;
  /** In [0, 1); for jitter. */
  readonly random: () => number;
  /** Called before each wait, for counting and logging retries. */
  readonly onRetry?: (error: DeliveryError, attempt: number, delayMs: number) => void;
  /**
   * Waits for the destination's next send slot (its rate limit) before each attempt; false when no slot starts
   * within the time left, and the alert is handed back without being sent.
   */
  readonly waitForSlot?: () => Promise<boolean>;
  /** Called on each 429 with how long the platform asked not to be called (Retry-After, else the default). */
  readonly onRateLimited?: (waitMs: number) => Promise<void>;
}

/** Why a record is handed back when the destination's rate limit leaves no send slot in this invocation. */
export const NO_SEND_SLOT = 'no_send_slot';

/** "Full jitter" exponential backoff: spreads retries of many records so they do not hammer the platform together. */
function backoffMs(policy: RetryPolicy, attempt: number, random: () => number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

/** Sends once, retrying as the policy and time budget allow, and says what became of the alert. */
export async function deliver(send: () => Promise<void>, context: DeliveryContext): Promise<DeliveryOutcome> {
  const { policy } = context;
  let rateLimited = 0;
  for (let attempt = 1; ; attempt++) {
    if (context.waitForSlot && !(await context.waitForSlot())) {
      return { kind: 'retry_later', attempts: attempt - 1, rateLimited, reason: NO_SEND_SLOT };
    }
    let error: DeliveryError;
    try {
      await send();
      return { kind: 'posted', attempts: attempt, rateLimited, unconfirmed: false };
    } catch (caught) {
      error = caught instanceof DeliveryError ? caught : new DeliveryError('unexpected_error', true);
    }
    if (error.reason === 'timeout') return { kind: 'posted', attempts: attempt, rateLimited, unconfirmed: true };
    if (!error.retryable) {
      return { kind: 'dead', attempts: attempt, rateLimited, reason: error.reason, status: error.status };
    }

    let delayMs: number;
    if (error.status === 429) {
      rateLimited++;
      delayMs =
        error.retryAfterSeconds !== undefined ? Math.ceil(error.retryAfterSeconds * 1000) : policy.defaultRetryAfterMs;
      await context.onRateLimited?.(delayMs);
    } else {
      delayMs = backoffMs(policy, attempt, context.random);
    }
    if (
      attempt >= policy.maxAttempts ||
      delayMs > policy.maxRetryAfterMs ||
      delayMs + context.sendTimeoutMs > context.remainingMs()
    ) {
      return {
        kind: 'retry_later',
        attempts: attempt,
        rateLimited,
        reason: error.reason,
        ...(error.status === 429 ? { notBeforeMs: delayMs } : {}),
      };
    }
    context.onRetry?.(error, attempt, delayMs);
    await context.sleep(delayMs);
  }
}
