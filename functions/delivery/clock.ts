import { realSleep } from './retry';

/** Time as the relay sees it: real in production, simulated in the storm benchmark. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = { now: () => Date.now(), sleep: realSleep };
