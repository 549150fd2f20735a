import type { DeliveryOutcome } from './retry';

/** Statuses by which a platform says the webhook itself is gone: revoked (404), archived (410), forbidden (403). */
const BROKEN_STATUSES: ReadonlySet<number> = new Set([403, 404, 410]);

/** Whether an answer says the webhook itself is gone, whatever was posted (not the content of one post). */
export function refusesDestination(status: number | undefined): boolean {
  return status !== undefined && BROKEN_STATUSES.has(status);
}

/**
 * Consecutive broken answers, all the same, after which a destination is known broken. A revoked webhook answers
 * every post alike; alerts that each meet a 404 among others (a platform's passing fault) must not reach it.
 */
export const BROKEN_AFTER_ANSWERS = 5;

/** Why a destination is known broken: the last broken answer, as its dead letters give it. */
export interface BrokenAnswer {
  readonly reason: string;
  readonly status: number;
}

/**
 * Recognises a broken destination fast: after BROKEN_AFTER_ANSWERS consecutive broken answers (no other between
 * them), its alerts go straight to its dead letters with that answer's reason, unsent, rather than each spending a
 * send to learn the same. Their dead letters raise the destination's one health notice. It is tried again once
 * the silent probe finds it working (`probedOk`), or, where nothing probes it (Teams cannot be checked silently),
 * after `retryAfterMs`, when one alert is sent to find out.
 */
export class BrokenDestination {
  private consecutive = 0;
  private last: BrokenAnswer | undefined;
  private brokenSince: number | undefined;

  constructor(
    private readonly retryAfterMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The answer to dead-letter an alert with, unsent; undefined when the alert should be sent. */
  knownBroken(): BrokenAnswer | undefined {
    if (this.brokenSince === undefined) return undefined;
    if (this.now() - this.brokenSince < this.retryAfterMs) return this.last;
    // Time to find out with one alert; its answer sets the state again.
    this.brokenSince = this.now();
    return undefined;
  }

  /**
   * Counts an answer: a broken one towards the threshold; any other (a post, a 5xx, a 429, a reset) breaks the run
   * of them, since a revoked webhook answers nothing else. A post also clears a destination known broken.
   */
  observe(outcome: DeliveryOutcome): void {
    if (outcome.attempts === 0) return;
    if (outcome.kind === 'posted') {
      this.probedOk();
      return;
    }
    if (outcome.kind !== 'dead' || outcome.status === undefined || !refusesDestination(outcome.status)) {
      this.consecutive = 0;
      return;
    }
    const same = this.last?.reason === outcome.reason && this.last.status === outcome.status;
    this.last = { reason: outcome.reason, status: outcome.status };
    this.consecutive = same ? this.consecutive + 1 : 1;
    if (this.consecutive >= BROKEN_AFTER_ANSWERS) this.brokenSince = this.now();
  }

  /** The destination works (the silent probe said so, or a post went through): its alerts are sent again. */
  probedOk(): void {
    this.consecutive = 0;
    this.brokenSince = undefined;
  }
}
