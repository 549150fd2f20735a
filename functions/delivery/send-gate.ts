/**
 * Posts of one destination awaiting a prompt reply at once. Small, so that a broken destination is noticed after a
 * few answers and nothing is sent in a burst.
 */
export const MAX_IN_FLIGHT = 3;

/**
 * Posts awaiting a reply that is late (slow posts), beside the MAX_IN_FLIGHT prompt ones. A slow post no longer
 * holds a place: it has been sent, recorded as a post intent, and waits up to the send timeout for its outcome. The
 * bound keeps a platform that stops answering from being sent ever more posts whose fate is unknown.
 */
export const MAX_SLOW_POSTS = 8;

/** The longest the next post waits for the last one's reply: a reply later than this is slow. */
export const SLOW_REPLY_MS = 2_000;

/** How long the next post waits for the last one's reply: two pacing intervals, at most SLOW_REPLY_MS. */
export function replyWaitMs(intervalMs: number): number {
  return Math.max(intervalMs, Math.min(SLOW_REPLY_MS, 2 * intervalMs));
}

/** When a post under way turns slow: after two pacing intervals (at most SLOW_REPLY_MS); unpaced, SLOW_REPLY_MS. */
export function slowAfterMs(intervalMs: number): number {
  return intervalMs > 0 ? replyWaitMs(intervalMs) : SLOW_REPLY_MS;
}

/** A post let through the gate, until its reply (or failure) comes. */
export interface GateTicket {
  /** When it was let through, then when its request left (`sent`). */
  at: number;
  /** From when it is slow: it no longer counts against MAX_IN_FLIGHT. */
  slowFrom: number;
  readonly slowAfter: number;
}

/**
 * Lets a destination's posts start while earlier ones await their reply: at most MAX_IN_FLIGHT prompt ones at once,
 * and the next only once the last has replied or been under way for two pacing intervals (at most SLOW_REPLY_MS). A
 * post under way longer than that is slow: it stops counting against MAX_IN_FLIGHT, so slow replies do not hold the
 * line, and at most MAX_SLOW_POSTS of them await their outcome at once. A post's slot so starts an interval after the
 * last one's reply, as when posts went one at a time, unless that reply is slow; the wait also covers a post slow to
 * leave (a large digest rendered on a busy machine), which must not reach the platform within an interval of the
 * next. Posts enter in the order they asked. One gate serves every batch of the destination in the process, and
 * holds the 429 pause they all step aside for.
 */
export class SendGate {
  /** Until when a 429 asked the destination not to be called: posts step aside until then. */
  private pauseEnd = 0;
  /** Posts sent and not yet answered. */
  private readonly started = new Set<GateTicket>();
  private lastStart = Number.NEGATIVE_INFINITY;
  /** The post before in line: each enters once the one before it has. */
  private line: Promise<void> = Promise.resolve();
  /** Resolves at the next leave(): a post waiting for a place may then go at once. */
  private wakeUp: () => void = () => undefined;
  private left = this.nextLeave();

  /** Resolves when a post may go (`intervalMs` 0: unpaced); `leave` must follow once its reply or failure came. */
  async enter(intervalMs: number, now: () => number, sleep: (ms: number) => Promise<void>): Promise<GateTicket> {
    const before = this.line;
    let entered: () => void = () => undefined;
    this.line = new Promise<void>((resolve) => {
      entered = resolve;
    });
    try {
      await before;
      const spacing = replyWaitMs(intervalMs);
      const slowAfter = slowAfterMs(intervalMs);
      for (;;) {
        const wait = this.waitMs(spacing, now());
        if (wait <= 0) break;
        await (Number.isFinite(wait) ? Promise.race([sleep(wait), this.left]) : this.left);
      }
      this.lastStart = now();
      const ticket = { at: this.lastStart, slowFrom: this.lastStart + slowAfter, slowAfter };
      this.started.add(ticket);
      return ticket;
    } finally {
      entered();
    }
  }

  /** How long the next post must wait at `t` (Infinity: until a reply comes); 0 or less when it may go. */
  private waitMs(spacing: number, t: number): number {
    let prompt = 0;
    let nextSlow = Number.POSITIVE_INFINITY;
    for (const { slowFrom } of this.started) {
      if (slowFrom > t) {
        prompt++;
        nextSlow = Math.min(nextSlow, slowFrom);
      }
    }
    if (this.started.size - prompt >= MAX_SLOW_POSTS) return Number.POSITIVE_INFINITY;
    // Every earlier post has replied: the pacer's slot after their reply is the only wait.
    const afterLast = this.started.size === 0 ? 0 : this.lastStart + spacing - t;
    return Math.max(afterLast, prompt >= MAX_IN_FLIGHT ? nextSlow - t : 0);
  }

  /** No post before `until` (a 429's Retry-After); overlapping pauses make one, never added up. */
  pause(until: number): void {
    this.pauseEnd = Math.max(this.pauseEnd, until);
  }

  get pausedUntil(): number {
    return this.pauseEnd;
  }

  /** When the first post awaiting its reply turns slow; Infinity when none. */
  slowAt(): number {
    let first = Number.POSITIVE_INFINITY;
    for (const { slowFrom } of this.started) first = Math.min(first, slowFrom);
    return first;
  }

  /**
   * The post's request leaves now, after waiting for its send slot: the next post's wait, and this one's slowness,
   * count from here, so that a post slow to leave on a busy machine still reaches the platform an interval before
   * the next.
   */
  sent(ticket: GateTicket, at: number): void {
    ticket.at = at;
    ticket.slowFrom = at + ticket.slowAfter;
    this.lastStart = Math.max(this.lastStart, at);
  }

  leave(ticket: GateTicket): void {
    this.started.delete(ticket);
    this.wakeUp();
    this.left = this.nextLeave();
  }

  private nextLeave(): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeUp = resolve;
    });
  }
}
