/**
 * Posts of one destination awaiting their reply at once. A slow reply holds one of them, not the line. Small, so
 * that a broken destination is noticed after a few answers and nothing is sent in a burst.
 */
export const MAX_IN_FLIGHT = 3;

/** The longest the next post waits for the last one's reply: a reply later than this is slow. */
export const SLOW_REPLY_MS = 2_000;

/** How long the next post waits for the last one's reply: two pacing intervals, at most SLOW_REPLY_MS. */
export function replyWaitMs(intervalMs: number): number {
  return Math.max(intervalMs, Math.min(SLOW_REPLY_MS, 2 * intervalMs));
}

/**
 * Lets a destination's posts start while earlier ones await their reply: at most MAX_IN_FLIGHT at once, and the
 * next only once the last has replied or been under way for two pacing intervals (at most SLOW_REPLY_MS). A
 * post's slot so starts an interval after the last one's reply, as when posts went one at a time, unless that reply
 * is slow; the wait also covers a post slow to leave (a large digest rendered on a busy machine), which must not
 * reach the platform within an interval of the next. One gate serves every batch of the destination in the process.
 */
export class SendGate {
  /** Posts let in (sending, or waiting for the last to reply or be slow): at most MAX_IN_FLIGHT. */
  private inFlight = 0;
  /** Posts sent and not yet answered. */
  private sending = 0;
  private lastStart = Number.NEGATIVE_INFINITY;
  /** When each post awaiting its reply was sent. */
  private readonly started = new Set<{ readonly at: number }>();
  private readonly waiting: (() => void)[] = [];
  /** Resolves at the next leave(): a post waiting for the last to be slow may then go at once. */
  private wakeUp: () => void = () => undefined;
  private left = this.nextLeave();

  /** Resolves when a post may go (`intervalMs` 0: unpaced); `leave` must follow once its reply or failure came. */
  async enter(intervalMs: number, now: () => number, sleep: (ms: number) => Promise<void>): Promise<{ at: number }> {
    if (this.inFlight < MAX_IN_FLIGHT) this.inFlight++;
    // The place is handed over by leave(): inFlight stays counted for the waiter.
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    for (;;) {
      const wait = this.lastStart + replyWaitMs(intervalMs) - now();
      // Every earlier post has replied: the pacer's slot after their reply is the only wait.
      if (this.sending === 0 || wait <= 0) break;
      await Promise.race([sleep(wait), this.left]);
    }
    this.sending++;
    this.lastStart = now();
    const ticket = { at: this.lastStart };
    this.started.add(ticket);
    return ticket;
  }

  /** When the oldest post awaiting its reply turns slow (SLOW_REPLY_MS after it was sent); Infinity when none. */
  slowAt(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const { at } of this.started) oldest = Math.min(oldest, at);
    return oldest + SLOW_REPLY_MS;
  }

  leave(ticket: { at: number }): void {
    this.started.delete(ticket);
    this.sending--;
    this.wakeUp();
    this.left = this.nextLeave();
    const next = this.waiting.shift();
    if (next) next();
    else this.inFlight--;
  }

  private nextLeave(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
    });
  }
}
