/** What the bench asks of a probe process, and what it answers. */
import { readFileSync } from 'node:fs';

export interface ProbeSpec {
  readonly mode: 'cold' | 'loop';
  readonly bundle: string;
  /** JSON file: an array of Lambda events, used in turn. */
  readonly events: string;
  /** Both measured handlers are SQS consumers: every record must succeed. */
  readonly check: 'noBatchFailures';
  readonly timeoutMs: number;
  readonly warmup: number;
  readonly count: number;
  readonly gcEvery?: number;
  readonly result: string;
}

export interface HeapSample {
  readonly invocations: number;
  readonly heapUsedBytes: number;
  readonly heapTotalBytes: number;
  /** Memory outside the V8 heap held by JavaScript objects (Buffers and the like). */
  readonly externalBytes: number;
  readonly rssBytes: number;
}

export interface LatencySummary {
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
}

export interface ProbeResult {
  readonly ok: boolean;
  readonly error?: string;
  /** From process start (performance.timeOrigin) to the bundle being loaded, and to the first answer. */
  readonly loadedAtMs?: number;
  readonly firstAnswerAtMs?: number;
  readonly invocations?: number;
  readonly totalMs?: number;
  readonly latency?: LatencySummary;
  readonly heap?: readonly HeapSample[];
  readonly maxRssBytes?: number;
  /** Bytes the handler wrote to stdout (its logs) per timed invocation. */
  readonly logBytesPerInvocation?: number;
  /** AWS operations per timed invocation, by `service.Operation`. */
  readonly awsCallsPerInvocation?: Readonly<Record<string, number>>;
  /** Operations the stub answered with an empty success because it has no specific answer for them. */
  readonly unknownAwsOperations?: readonly string[];
}

/** Nearest-rank percentile of ascending `sorted` values. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/**
 * Peak resident set size of this process. On Linux from VmHWM, since `getrusage`'s maxrss keeps the figure of the
 * process image before `exec` (here the bench's own, far larger); elsewhere from `process.resourceUsage()`.
 */
export function peakRssBytes(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    const match = /^VmHWM:\s+(\d+)\s+kB$/m.exec(status);
    if (match) return Number(match[1]) * 1024;
  } catch {
    // Not Linux.
  }
  return process.resourceUsage().maxRSS * 1024;
}
