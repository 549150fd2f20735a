/**
 * Runs in a fresh Node.js process (with aws-stub preloaded): loads one Lambda bundle and invokes its handler,
 * as the Lambda runtime would. Configured by the BENCH_PROBE environment variable (a {@link ProbeSpec});
 * writes a {@link ProbeResult} to `spec.result`.
 *
 * - `cold`: one invocation, then exit. The parent times the whole process.
 * - `loop`: `warmup` untimed invocations, then `count` timed ones one after another (a Lambda instance handles
 *   one event at a time); with `gcEvery`, the heap is measured after a full GC every `gcEvery` invocations.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import {
  peakRssBytes,
  percentile,
  type HeapSample,
  type LatencySummary,
  type ProbeResult,
  type ProbeSpec,
} from './protocol';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

function summarize(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  return {
    p50Ms: percentile(sorted, 50),
    p90Ms: percentile(sorted, 90),
    p99Ms: percentile(sorted, 99),
    meanMs: sorted.reduce((a, b) => a + b, 0) / sorted.length,
  };
}

function checkAnswer(_check: ProbeSpec['check'], answer: unknown): void {
  const failures = (answer as { batchItemFailures?: unknown[] } | undefined)?.batchItemFailures;
  if (!Array.isArray(failures) || failures.length > 0) throw new Error(`batch failures: ${JSON.stringify(answer)}`);
}

const awsCalls = (): Record<string, number> => ({
  ...((globalThis as Record<symbol, unknown>)[Symbol.for('paubox-alert-relay.bench.aws-calls')] as
    | Record<string, number>
    | undefined),
});

async function main(spec: ProbeSpec): Promise<ProbeResult> {
  let logBytes = 0;
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    logBytes += typeof chunk === 'string' ? Buffer.byteLength(chunk) : chunk.length;
    return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
  }) as typeof process.stdout.write;

  const events = JSON.parse(readFileSync(spec.events, 'utf8')) as unknown[];
  // Each invocation gets the function's whole timeout, as on Lambda.
  const context = () => {
    const deadline = Date.now() + spec.timeoutMs;
    return { functionName: 'bench', awsRequestId: 'bench', getRemainingTimeInMillis: () => deadline - Date.now() };
  };
  const { handler } = require(spec.bundle) as { handler: Handler };
  const loadedAtMs = performance.now();
  checkAnswer(spec.check, await handler(events[0], context()));
  const firstAnswerAtMs = performance.now();
  if (spec.mode === 'cold') return { ok: true, loadedAtMs, firstAnswerAtMs };

  const gc = (globalThis as { gc?: () => void }).gc;
  if (spec.gcEvery && !gc) throw new Error('gcEvery needs node --expose-gc');
  for (let i = 1; i < spec.warmup; i++) checkAnswer(spec.check, await handler(events[i % events.length], context()));

  const latencies: number[] = [];
  const heap: HeapSample[] = [];
  const callsBefore = awsCalls();
  const logBytesBefore = logBytes;
  let timed = 0;
  for (let i = 0; i < spec.count; i++) {
    const t0 = performance.now();
    const answer = await handler(events[i % events.length], context());
    const t1 = performance.now();
    checkAnswer(spec.check, answer);
    latencies.push(t1 - t0);
    timed += t1 - t0;
    if (spec.gcEvery && (i + 1) % spec.gcEvery === 0) {
      gc!();
      const usage = process.memoryUsage();
      heap.push({
        invocations: i + 1,
        heapUsedBytes: usage.heapUsed,
        heapTotalBytes: usage.heapTotal,
        externalBytes: usage.external,
        rssBytes: usage.rss,
      });
    }
  }
  const callsAfter = awsCalls();
  const perInvocation: Record<string, number> = {};
  for (const [op, n] of Object.entries(callsAfter)) {
    const delta = n - (callsBefore[op] ?? 0);
    if (delta > 0) perInvocation[op] = delta / spec.count;
  }
  const unknown = (globalThis as Record<symbol, unknown>)[Symbol.for('paubox-alert-relay.bench.aws-unknown')] as
    | Set<string>
    | undefined;
  return {
    ok: true,
    loadedAtMs,
    firstAnswerAtMs,
    invocations: spec.count,
    totalMs: timed,
    latency: summarize(latencies),
    heap,
    maxRssBytes: peakRssBytes(),
    logBytesPerInvocation: (logBytes - logBytesBefore) / spec.count,
    awsCallsPerInvocation: perInvocation,
    unknownAwsOperations: [...(unknown ?? [])],
  };
}

const spec = JSON.parse(process.env.BENCH_PROBE ?? '{}') as ProbeSpec;
main(spec).then(
  (result) => {
    writeFileSync(spec.result, JSON.stringify(result));
    process.exit(0);
  },
  (error: unknown) => {
    writeFileSync(
      spec.result,
      JSON.stringify({ ok: false, error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
    );
    process.exit(1);
  },
);
