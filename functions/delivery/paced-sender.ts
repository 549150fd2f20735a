import { MAX_POSTS_PER_BATCH, type ChatView } from '../alerts';
import { type AlertSender, DeliveryError, type SendVerb } from '../chat';
import type { Logger } from '../observability';
import type { BrokenDestination } from './broken-destination';
import { type GateTicket, SendGate, SLOW_REPLY_MS } from './send-gate';
import { reasonOf } from './error-reason';
import { DEFAULT_MESSAGES_PER_SECOND, intervalMsOf, type PostPacer } from './pacing/pacer';
import {
  deliver,
  NO_SEND_SLOT,
  RATE_LIMIT_PAUSE,
  type DeliveryContext,
  type DeliveryOutcome,
  type Unsent,
} from './retry';

/** The destination's rate limit, shared with every other notifier through the pacer. */
export interface PacingOptions {
  readonly pacer: PostPacer;
  /** @default DEFAULT_MESSAGES_PER_SECOND of the destination's platform */
  readonly messagesPerSecond?: number;
}

/** Retry policy, clock and time budget of this invocation; the paced sender adds the hooks. */
export type SendBudget = Omit<DeliveryContext, 'tryNumber' | 'ageMs' | 'waitForSlot' | 'onRateLimited'>;

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
  /**
   * Stops waiting for slow replies once nothing else of this sender is left: their posts count as sent with no
   * reply, as a timeout does (posted once, never resent). The deployed notifier: an invocation that waited would
   * hold one of the few its destination may run at once. @default false: every reply is waited for, up to the
   * send timeout
   */
  readonly leaveSlowReplies?: boolean;
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
  private readonly gate: SendGate;
  /** Deliveries under way (waiting for their turn, a slot or a reply). */
  private pending = 0;
  /** Sends awaiting their reply, with how to stop waiting for it. */
  private readonly awaiting = new Map<GateTicket, () => void>();

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
   * How many posts the rate limit lets out within `ms` (at least one): a backlog goes out in as many, so a destination
   * that may post quickly posts its backlog as alerts, and one paced at Slack's second folds it into one digest.
   */
  postsWithin(ms: number): number {
    if (!this.pacer) return MAX_POSTS_PER_BATCH;
    return Math.min(this.maxPosts(), Math.max(1, Math.floor(ms / this.intervalMs)));
  }

  /**
   * Makes one try of a view: `tryNumber` (its receive count) or `ageMs` sets the backoff when it fails. With
   * `stepAside`, a post whose turn comes while a 429 pauses the destination is given back unsent. To a destination known
   * broken, nothing is sent: the outcome is its broken answer, with no attempt.
   */
  async deliver(view: ChatView, tryNumber = 1, ageMs?: number, stepAside = false): Promise<DeliveryOutcome> {
    this.pending++;
    try {
      return await this.deliverInTurn(view, tryNumber, ageMs, stepAside);
    } finally {
      this.pending--;
      this.leaveSlow();
    }
  }

  private async deliverInTurn(
    view: ChatView,
    tryNumber: number,
    ageMs: number | undefined,
    stepAside: boolean,
  ): Promise<DeliveryOutcome> {
    const { metric, budget, broken } = this.options;
    const ticket = await this.gate.enter(this.pacer ? this.intervalMs : 0, this.options.now, budget.sleep);
    try {
      // Asked once the post's turn has come: answers that came meanwhile count.
      const known = broken?.knownBroken();
      if (known) return { kind: 'dead', attempts: 0, rateLimited: 0, ...known };
      const paused = stepAside ? this.paused() : undefined;
      if (paused) return { kind: 'retry_later', attempts: 0, rateLimited: 0, ...paused };
      const outcome = await deliver(() => this.sendOnce(view, ticket), {
        ...budget,
        tryNumber,
        ...(ageMs !== undefined ? { ageMs } : {}),
        ...(this.pacer
          ? {
              waitForSlot: () => this.waitForSlot(stepAside),
              // Every notifier of the destination waits out the platform's Retry-After, not only this one.
              onRateLimited: (waitMs: number) => {
                this.gate.pause(this.options.now() + waitMs);
                return this.holdFor(waitMs, true);
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

  private async sendOnce(view: ChatView, ticket: GateTicket): Promise<void> {
    this.gate.sent(ticket, this.options.now());
    try {
      if (!this.options.leaveSlowReplies) return await this.sender.send(view);
      const left = new Promise<never>((_, reject) => {
        this.awaiting.set(ticket, () => reject(new DeliveryError('timeout', true)));
      });
      this.leaveSlow();
      try {
        await Promise.race([this.sender.send(view), left]);
      } finally {
        this.awaiting.delete(ticket);
      }
    } finally {
      // Also one interval after this post's reply: had the request been slow to arrive, the next one, sent
      // on its slot, could otherwise reach the platform less than an interval after it.
      if (this.pacer) await this.holdFor(this.intervalMs);
    }
  }

  /** No post to the destination for `ms`; a pacer that cannot be reached only loses this hint. */
  private holdFor(ms: number, rateLimited = false): Promise<void> {
    const { destination, now } = this.options;
    return this.pacer!.holdUntil(destination, now() + ms, rateLimited).catch(() => undefined);
  }

  /**
   * Whether a 429 pauses the destination, or did within the last `withinMs`, here or in another notifier (through
   * the pacer): what waited meanwhile is a backlog. False when it cannot be told.
   */
  async pausedWithin(withinMs: number): Promise<boolean> {
    const since = this.options.now() - withinMs;
    if (this.gate.pausedUntil > since) return true;
    if (!this.pacer?.pausedUntil) return false;
    return this.pacer.pausedUntil(this.options.destination).then(
      (until) => until > since,
      () => false,
    );
  }

  /**
   * With `leaveSlowReplies`, once every delivery left awaits its reply: stops waiting for those under way for
   * SLOW_REPLY_MS, and looks again when the next will have been.
   */
  private leaveSlow(): void {
    if (!this.options.leaveSlowReplies || this.pending === 0 || this.pending > this.awaiting.size) return;
    const now = this.options.now();
    let next = Number.POSITIVE_INFINITY;
    for (const [{ at }, leave] of this.awaiting) {
      // Later than a reply ever comes in the normal way, not only later than the pacing lets the next post go.
      if (at + SLOW_REPLY_MS <= now) leave();
      else next = Math.min(next, at + SLOW_REPLY_MS);
    }
    if (Number.isFinite(next)) void this.options.budget.sleep(next - now).then(() => this.leaveSlow());
  }

  /**
   * Waits for the post's send slot; handed back unsent when no slot starts in the time left or the pacer cannot be
   * reached. When a 429 paused the destination while it waited (here, or in another notifier: the pacer keeps the
   * pause), its slot was reserved before the pause: it takes one after it, or with `stepAside` is given back unsent
   * (RATE_LIMIT_PAUSE), for its batch to plan again with what else waited.
   */
  private async waitForSlot(stepAside: boolean): Promise<true | Unsent> {
    const { destination, now, logger, budget } = this.options;
    const noSlot = { reason: NO_SEND_SLOT };
    for (;;) {
      let slot: number | undefined;
      try {
        const latestStart = now() + budget.remainingMs() - budget.sendTimeoutMs;
        slot = await this.pacer!.reserve(destination, this.intervalMs, latestStart);
      } catch (error) {
        logger.log('warn', 'could not reserve a send slot; will retry', { destination, reason: reasonOf(error) });
        return noSlot;
      }
      if (slot === undefined) return noSlot;
      const wait = slot - now();
      if (wait > 0) await budget.sleep(wait);
      // A sleep can be cut short: the local relay, stopping, ends its waits and leaves no time. The slot was
      // reserved to start with a send's time left, so otherwise some is always left, even if the sleep overran.
      if (budget.remainingMs() <= 0) return noSlot;
      if (wait > 0 && this.pacer!.pausedUntil) {
        this.gate.pause(await this.pacer!.pausedUntil(destination).catch(() => 0));
      }
      const paused = this.paused();
      if (!paused) return true;
      if (stepAside) return paused;
      // A pacer may not hold the destination (or not be reached): wait the pause out before the next slot.
      await budget.sleep(paused.notBeforeMs ?? 0);
    }
  }

  /** While a 429's Retry-After pauses the destination: how long is left of it. */
  private paused(): Unsent | undefined {
    const left = this.gate.pausedUntil - this.options.now();
    return left > 0 ? { reason: RATE_LIMIT_PAUSE, notBeforeMs: left } : undefined;
  }
}
