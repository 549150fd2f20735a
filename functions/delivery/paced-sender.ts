import { MAX_POSTS_PER_BATCH, type ChatView } from '../alerts';
import type { AlertSender, SendVerb } from '../chat';
import type { LogFields, Logger } from '../observability';
import { reasonOf } from './error-reason';
import { DEFAULT_MESSAGES_PER_SECOND, intervalMsOf, type PostPacer } from './pacing/pacer';
import { deliver, type DeliveryContext, type DeliveryOutcome } from './retry';

/** The destination's rate limit, shared with every other notifier through the pacer. */
export interface PacingOptions {
  readonly pacer: PostPacer;
  /** @default DEFAULT_MESSAGES_PER_SECOND of the destination's platform */
  readonly messagesPerSecond?: number;
}

/** Retry policy, clock and time budget of this invocation; the paced sender adds the hooks. */
export type SendBudget = Omit<DeliveryContext, 'onRetry' | 'waitForSlot' | 'onRateLimited'>;

export interface PacedSenderOptions {
  readonly destination: string;
  readonly budget: SendBudget;
  /** Without it, posts are sent as fast as they come. */
  readonly pacing?: PacingOptions;
  /** The clock of the pacer's slots. */
  readonly now: () => number;
  readonly logger: Logger;
  readonly metric: (name: 'Retries' | 'RateLimited', value: number) => void;
}

/**
 * Sends views to one destination with retries. When paced, each attempt waits for a send slot, each reply holds
 * the destination for one interval, and a 429 holds it for its Retry-After, for every notifier of the destination.
 */
export class PacedSender {
  /** Unset for the console, which has no rate limit, and when no pacing is given. */
  private readonly pacer: PostPacer | undefined;
  private readonly intervalMs: number;

  constructor(
    private readonly sender: AlertSender,
    private readonly options: PacedSenderOptions,
  ) {
    const { pacing } = options;
    this.pacer = sender.kind === 'console' ? undefined : pacing?.pacer;
    this.intervalMs =
      sender.kind === 'console'
        ? 0
        : intervalMsOf(pacing?.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND[sender.kind]);
  }

  /** What a send does, for the log lines that report it. */
  get verb(): SendVerb {
    return this.sender.verb ?? 'posted';
  }

  /** How many posts the rate limit lets this invocation send in the time it has left (a readable number at most). */
  maxPosts(): number {
    if (!this.pacer) return MAX_POSTS_PER_BATCH;
    const { remainingMs, sendTimeoutMs } = this.options.budget;
    const fit = Math.floor(Math.max(0, remainingMs() - sendTimeoutMs) / this.intervalMs) + 1;
    return Math.min(MAX_POSTS_PER_BATCH, fit);
  }

  /** Sends a view, retrying as the policy allows; `about` names it in the retry log lines. */
  async deliver(view: ChatView, about: LogFields): Promise<DeliveryOutcome> {
    const { destination, logger, metric, budget } = this.options;
    const outcome = await deliver(() => this.sendOnce(view), {
      ...budget,
      ...(this.pacer
        ? {
            waitForSlot: () => this.waitForSlot(),
            // Every notifier of the destination waits out the platform's Retry-After, not only this one.
            onRateLimited: (waitMs: number) => this.holdFor(waitMs),
          }
        : {}),
      onRetry: (error, attempt, delayMs) => {
        metric('Retries', 1);
        logger.log('info', 'retrying alert', {
          destination,
          ...about,
          reason: error.reason,
          attempt,
          durationMs: delayMs,
        });
      },
    });
    if (outcome.rateLimited > 0) metric('RateLimited', outcome.rateLimited);
    return outcome;
  }

  private async sendOnce(view: ChatView): Promise<void> {
    try {
      await this.sender.send(view);
    } finally {
      // Also one interval after this post's reply: had the request been slow to arrive, the next one, sent
      // on its slot, could otherwise reach the platform less than an interval after it.
      if (this.pacer) await this.holdFor(this.intervalMs);
    }
  }

  /** No post to the destination for `ms`; a pacer that cannot be reached only loses this hint. */
  private holdFor(ms: number): Promise<void> {
    const { destination, now } = this.options;
    return this.pacer!.holdUntil(destination, now() + ms).catch(() => undefined);
  }

  /** False when no slot starts in the time left, or the pacer cannot be reached: the post is handed back. */
  private async waitForSlot(): Promise<boolean> {
    const { destination, now, logger, budget } = this.options;
    let slot: number | undefined;
    try {
      slot = await this.pacer!.reserve(
        destination,
        this.intervalMs,
        now() + budget.remainingMs() - budget.sendTimeoutMs,
      );
    } catch (error) {
      logger.log('warn', 'could not reserve a send slot; will retry', { destination, reason: reasonOf(error) });
      return false;
    }
    if (slot === undefined) return false;
    const wait = slot - now();
    if (wait > 0) await budget.sleep(wait);
    // A sleep can be cut short: the local relay, stopping, ends its waits and leaves no time. The slot was reserved
    // to start with a send's time left, so otherwise some is always left, even if the sleep overran a little.
    return budget.remainingMs() > 0;
  }
}
