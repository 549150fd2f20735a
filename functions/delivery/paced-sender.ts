import { MAX_POSTS_PER_BATCH, type ChatView } from '../alerts';
import type { AlertSender, SendVerb } from '../chat';
import type { Logger } from '../observability';
import type { BrokenDestination } from './broken-destination';
import { SendGate } from './send-gate';
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
export type SendBudget = Omit<DeliveryContext, 'tryNumber' | 'waitForSlot' | 'onRateLimited'>;

export { MAX_IN_FLIGHT } from './send-gate';

export interface PacedSenderOptions {
  readonly destination: string;
  readonly budget: SendBudget;
  /** Without it, posts are sent as fast as they come. */
  readonly pacing?: PacingOptions;
  /** The clock of the pacer's slots. */
  readonly now: () => number;
  readonly logger: Logger;
  readonly metric: (name: 'RateLimited', value: number) => void;
  /** What the destination's recent answers say; told every answer. @default none: every post is sent */
  readonly broken?: BrokenDestination;
  /** Shared by every batch of the destination under way in the process. @default one of its own */
  readonly gate?: SendGate | undefined;
}

/**
 * Sends views to one destination, at most MAX_IN_FLIGHT awaiting their reply at once. When paced, each post waits
 * for a send slot, each reply holds the destination for one interval, and a 429 holds it for its Retry-After, for
 * every notifier of the destination.
 */
export class PacedSender {
  /** Unset for the console, which has no rate limit, and when no pacing is given. */
  private readonly pacer: PostPacer | undefined;
  private readonly intervalMs: number;
  /** Until when a 429 asked this destination not to be called: a slot reserved before it waits it out. */
  private pausedUntil = 0;
  private readonly gate: SendGate;

  constructor(
    private readonly sender: AlertSender,
    private readonly options: PacedSenderOptions,
  ) {
    const { pacing } = options;
    this.gate = options.gate ?? new SendGate();
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

  /**
   * Makes one try of a view: `tryNumber` (its receive count) sets the backoff when it fails. To a destination known
   * broken, nothing is sent: the outcome is its broken answer, with no attempt.
   */
  async deliver(view: ChatView, tryNumber = 1): Promise<DeliveryOutcome> {
    const { metric, budget, broken } = this.options;
    const ticket = await this.gate.enter(this.pacer ? this.intervalMs : 0, this.options.now, budget.sleep);
    try {
      // Asked once the post's turn has come: answers that came meanwhile count.
      const known = broken?.knownBroken();
      if (known) return { kind: 'dead', attempts: 0, rateLimited: 0, ...known };
      const outcome = await deliver(() => this.sendOnce(view), {
        ...budget,
        tryNumber,
        ...(this.pacer
          ? {
              waitForSlot: () => this.waitForSlot(),
              // Every notifier of the destination waits out the platform's Retry-After, not only this one.
              onRateLimited: (waitMs: number) => {
                this.pausedUntil = Math.max(this.pausedUntil, this.options.now() + waitMs);
                return this.holdFor(waitMs);
              },
            }
          : {}),
      });
      if (outcome.rateLimited > 0) metric('RateLimited', outcome.rateLimited);
      if (outcome.attempts > 0) broken?.observe(outcome);
      return outcome;
    } finally {
      this.gate.leave(ticket);
    }
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
    for (;;) {
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
      // A sleep can be cut short: the local relay, stopping, ends its waits and leaves no time. The slot was
      // reserved to start with a send's time left, so otherwise some is always left, even if the sleep overran.
      if (budget.remainingMs() <= 0) return false;
      // A 429 came while this post waited: its slot was reserved before the pause, so it takes one after it.
      if (now() >= this.pausedUntil) return true;
    }
  }
}
