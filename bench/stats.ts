import { percentile } from './probe/protocol';

/* Figures as the bench computes and prints them. */

export const MIB = 1024 * 1024;

const sorted = (values: readonly number[]) => [...values].sort((a, b) => a - b);
export const median = (values: readonly number[]) => percentile(sorted(values), 50);
export const p90 = (values: readonly number[]) => percentile(sorted(values), 90);
export const p99 = (values: readonly number[]) => percentile(sorted(values), 99);

export const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
export const mb = (bytes: number) => `${(bytes / MIB).toFixed(1)} MB`;
export const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;
export const times = (ratio: number) => `${ratio.toFixed(2)}×`;

/** Each line says when its phase started, so a slow phase shows. */
const benchStarted = performance.now();
export const log = (line: string) =>
  process.stderr.write(`bench: [${((performance.now() - benchStarted) / 1000).toFixed(0)} s] ${line}\n`);
