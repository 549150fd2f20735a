import { type HealthNotice, type HealthPart, healthNotice, heartbeatNotice } from '../alerts';
import type { Logger } from '../observability';

/**
 * Turns the relay's own outcomes (dead letters, quarantined webhooks, failed probes) into health notices: one when
 * a part breaks, a reminder at most every `reminderMs` while it stays broken, one when it works again; never one
 * per event. A problem is announced `settleMs` after its first failure, so a burst is counted in one notice.
 */

export interface HealthMonitorOptions {
  /** Every destination that can show a notice, in configuration order. */
  readonly destinations: readonly string[];
  /** `health.to`; without it, every destination but the one a notice is about. */
  readonly to?: readonly string[];
  readonly reminderMs: number;
  /** @default 2000 */
  readonly settleMs?: number;
  readonly now?: () => number;
  /** Queues a notice for the named destinations. */
  readonly post: (notice: HealthNotice, targets: readonly string[]) => void;
  readonly logger: Logger;
}

interface Problem {
  readonly part: HealthPart;
  readonly subject: string;
  readonly reason: string;
  readonly since: number;
  affected: number;
  raised: boolean;
  lastNoticeAt: number;
  timer?: NodeJS.Timeout;
}

export class HealthMonitor {
  private readonly problems = new Map<string, Problem>();
  private readonly now: () => number;

  constructor(private readonly options: HealthMonitorOptions) {
    this.now = options.now ?? Date.now;
  }

  /** `count` more alerts (or webhooks) failed for `reason`. */
  problem(part: HealthPart, subject: string, reason: string, count = 1): void {
    const id = `${part}:${subject}`;
    const known = this.problems.get(id);
    if (known) {
      known.affected += count;
      if (known.raised && this.now() - known.lastNoticeAt >= this.options.reminderMs) this.announce(known, 'reminder');
      return;
    }
    const problem: Problem = {
      part,
      subject,
      reason,
      since: this.now(),
      affected: count,
      raised: false,
      lastNoticeAt: 0,
    };
    problem.timer = setTimeout(() => this.announce(problem, 'problem'), this.options.settleMs ?? 2000);
    problem.timer.unref();
    this.problems.set(id, problem);
  }

  /** `subject` worked again: a raised problem is resolved, one not yet announced is forgotten. */
  recovered(part: HealthPart, subject: string): void {
    const id = `${part}:${subject}`;
    const problem = this.problems.get(id);
    if (!problem) return;
    this.problems.delete(id);
    clearTimeout(problem.timer);
    if (problem.raised) this.send(problem, 'resolved');
  }

  /** Whether a problem with `subject` is known (announced or not). */
  isBroken(part: HealthPart, subject: string): boolean {
    return this.problems.has(`${part}:${subject}`);
  }

  /** Stops the timers; problems not yet announced are announced now, so none is lost on shutdown. */
  close(): void {
    for (const problem of this.problems.values()) {
      clearTimeout(problem.timer);
      if (!problem.raised) this.announce(problem, 'problem');
    }
  }

  private announce(problem: Problem, state: 'problem' | 'reminder'): void {
    problem.raised = true;
    problem.lastNoticeAt = this.now();
    this.send(problem, state);
  }

  /** Posts the visible heartbeat to `destination` itself: the one notice a destination gets about itself. */
  public heartbeat(destination: string): void {
    const notice = heartbeatNotice(destination, new Date(this.now()));
    this.options.logger.log('info', 'relay health heartbeat', { destination, eventKey: notice.key });
    this.options.post(notice, [destination]);
  }

  private send(problem: Problem, state: HealthNotice['state']): void {
    const notice = healthNotice({
      state,
      part: problem.part,
      subject: problem.subject,
      reason: problem.reason,
      affected: problem.affected,
      since: new Date(problem.since).toISOString(),
      ...(state === 'reminder' ? { occurrence: problem.lastNoticeAt } : {}),
    });
    const { to, destinations } = this.options;
    const affected = problem.part === 'destination' ? problem.subject : undefined;
    const targets = (to ?? destinations).filter((name) => name !== affected);
    const fields = { destination: affected, reason: notice.reason, count: notice.affected, eventKey: notice.key };
    if (targets.length === 0) {
      // Nowhere to post: the log is the last place it can be seen.
      this.options.logger.log('error', `relay health ${state}, and no other destination to tell`, fields);
      return;
    }
    this.options.logger.log(state === 'resolved' ? 'info' : 'error', `relay health ${state}`, fields);
    this.options.post(notice, targets);
  }
}
