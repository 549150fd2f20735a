import type { ChatSink } from './chat-sink';
import type { ProbeResult } from './probe/protocol';
import { BenchError, MEMORY_TARGET_MB, runProbe } from './processes';
import type { Setup } from './setup';
import { log } from './stats';

/** Events through each function in the memory phase, heap measured after a full GC every tenth of them. */
export const MEMORY_EVENTS = 1000;

export interface Memory {
  readonly events: number;
  readonly peakRssBytes: number;
  readonly heapFirstBytes: number;
  readonly heapLastBytes: number;
  readonly heapGrowthBytes: number;
  readonly rssFirstBytes: number;
  readonly rssLastBytes: number;
}

export interface MemoryRuns {
  readonly ingest: Memory;
  readonly notifier: Memory;
  /** The probes' own results, which the cost model reads (CPU time, AWS calls, log bytes). */
  readonly results: { readonly ingest: ProbeResult; readonly notifier: ProbeResult };
  readonly chatBodyBytesPerRecord: number;
}

function memoryOf(r: ProbeResult, perSample: number): Memory {
  const first = r.heap![0]!;
  const last = r.heap![r.heap!.length - 1]!;
  return {
    events: last.invocations * perSample,
    peakRssBytes: r.maxRssBytes!,
    heapFirstBytes: first.heapUsedBytes,
    heapLastBytes: last.heapUsedBytes,
    heapGrowthBytes: last.heapUsedBytes - first.heapUsedBytes,
    rssFirstBytes: first.rssBytes,
    rssLastBytes: last.rssBytes,
  };
}

/**
 * MEMORY_EVENTS through one process each, heap measured after a full GC every tenth of them. The two processes run
 * side by side: each measures its own heap, which the other does not touch.
 */
export async function measureMemory(setup: Setup, sink: ChatSink): Promise<MemoryRuns> {
  log(
    `memory: ${MEMORY_EVENTS} events through the ingest and the notifier, V8 sized as in a ${MEMORY_TARGET_MB} MB function`,
  );
  const { probes, workDir, ingest, notifier, batchSize } = setup;
  const postsBefore = sink.received;
  const bytesBefore = sink.bodyBytes;
  const [ingestRun, notifierRun] = await Promise.all([
    runProbe(
      probes,
      workDir,
      {
        mode: 'loop',
        bundle: ingest.bundle,
        events: setup.ingestEvents,
        check: 'noBatchFailures',
        timeoutMs: ingest.timeoutMs,
        warmup: 0,
        count: MEMORY_EVENTS,
        gcEvery: MEMORY_EVENTS / 10,
      },
      ingest.env,
      MEMORY_TARGET_MB,
    ),
    runProbe(
      probes,
      workDir,
      {
        mode: 'loop',
        bundle: notifier.bundle,
        events: setup.notifierBatches,
        check: 'noBatchFailures',
        timeoutMs: notifier.timeoutMs,
        warmup: 0,
        count: MEMORY_EVENTS / batchSize,
        gcEvery: MEMORY_EVENTS / 10 / batchSize,
      },
      notifier.env,
      MEMORY_TARGET_MB,
    ),
  ]);
  const posts = sink.received - postsBefore;
  if (posts < MEMORY_EVENTS) throw new BenchError(`the notifier posted ${posts} alerts for ${MEMORY_EVENTS} records`);
  return {
    ingest: memoryOf(ingestRun.result, 1),
    notifier: memoryOf(notifierRun.result, batchSize),
    results: { ingest: ingestRun.result, notifier: notifierRun.result },
    chatBodyBytesPerRecord: (sink.bodyBytes - bytesBefore) / posts,
  };
}
