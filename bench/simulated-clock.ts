import type { Clock } from '../functions/delivery';

interface Timer {
  readonly at: number;
  readonly seq: number;
  readonly resolve: () => void;
}

const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Simulated time for replaying minutes or hours of relay activity in seconds. `sleep` registers a timer; the clock
 * jumps to the earliest timer only when nothing real is under way: no tracked work (HTTP requests to the fake
 * platform) in flight, and the event loop has run everything runnable. Real work takes no simulated time, so a
 * request and the fake platform's answer happen at one simulated instant.
 */
export class SimulatedClock implements Clock {
  private current: number;
  private readonly timers: Timer[] = [];
  private seq = 0;
  private busy = 0;

  constructor(start: number) {
    this.current = start;
  }

  now(): number {
    return this.current;
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer: Timer = { at: this.current + Math.max(0, ms), seq: this.seq++, resolve };
      // Few timers are pending at once; keep them sorted by time, then by order of arrival.
      let i = this.timers.length;
      while (i > 0 && this.timers[i - 1]!.at > timer.at) i--;
      this.timers.splice(i, 0, timer);
    });
  }

  /** Holds the clock still while `work` (real I/O) is under way. */
  async track<T>(work: () => Promise<T>): Promise<T> {
    this.busy++;
    try {
      return await work();
    } finally {
      this.busy--;
    }
  }

  /**
   * Drives the clock until `done` settles, and returns its result.
   *
   * @throws Error when nothing is running and no timer is pending, but `done` has not settled (a stalled run)
   */
  async run<T>(done: Promise<T>): Promise<T> {
    let settled = false;
    done.then(
      () => (settled = true),
      () => (settled = true),
    );
    let idleTurns = 0;
    while (!settled) {
      await turn();
      if (settled || this.busy > 0) continue;
      // A second turn lets callbacks queued by the first (I/O completions, their promise chains) run.
      await turn();
      if (settled || this.busy > 0) continue;
      const next = this.timers.shift();
      if (!next) {
        if (++idleTurns > 10_000) throw new Error('simulation stalled: nothing runs and no timer is pending');
        continue;
      }
      idleTurns = 0;
      this.current = Math.max(this.current, next.at);
      next.resolve();
    }
    return done;
  }
}
