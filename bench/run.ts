import { cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { ChatKind } from '../functions/chat';
import { INGEST_BATCH_SIZE } from '../lib/relay/ingest-endpoint';
import { measureAccept, STORM_CONCURRENCY, STORM_EVENTS } from './accept';
import { startChatSink } from './chat-sink';
import { measureColdStarts } from './cold-start';
import { chooseMemorySize, DEFAULT_ASSUMPTIONS, estimateCost, type MeasuredFunction } from './cost';
import { endToEnd } from './end-to-end';
import { measureMemory } from './memory';
import type { BenchReport } from './report';
import { prepare } from './setup';
import { log } from './stats';
import { DEPLOYED_ACCEPT } from './storm-figure';
import { checkTargets } from './targets';
import { measureWarmIngest } from './warm-ingest';

/** Cold-start budgets used to choose memory sizes: Paubox waits on ingest (and never retries); nobody waits on a notifier. */
const COLD_START_BUDGET_MS = { ingest: 500, notifier: 1000 } as const;

export interface RunOptions {
  readonly coldRuns: number;
  readonly warmEvents: number;
  readonly e2eRequests: number;
  readonly e2eConcurrency: number;
  readonly e2eKind: ChatKind;
  readonly e2eDestination: Record<string, unknown>;
  readonly destination: Record<string, unknown>;
}

/** The phases in order: set up, cold starts, warm ingest beside memory, end to end, accept and storm; then the cost. */
export async function run(options: RunOptions): Promise<BenchReport> {
  const started = performance.now();
  const sink = await startChatSink('slack');
  try {
    const setup = await prepare(options.destination, sink);
    try {
      const coldStart = await measureColdStarts(setup, options.coldRuns);
      // Heap after a full GC and peak RSS do not depend on the machine's speed: the memory runs go beside the warm
      // rounds, whose real and bare handlers share whatever load they add. Cold starts, measured apart, are the
      // figures most sensitive to it.
      const [warmIngest, memory] = await Promise.all([
        measureWarmIngest(setup, options.warmEvents),
        measureMemory(setup, sink),
      ]);
      log(
        `local relay end to end: ${options.e2eRequests} webhooks at concurrency ${options.e2eConcurrency} to a fake ${options.e2eKind} server`,
      );
      const e2e = await endToEnd(setup.probes, setup.workDir, {
        requests: options.e2eRequests,
        concurrency: options.e2eConcurrency,
        kind: options.e2eKind,
        destination: options.e2eDestination,
      });
      log(
        `accept and storm, 3 runs each in turn: ${STORM_EVENTS} webhooks at concurrency ${STORM_CONCURRENCY} to a bare ` +
          'fsync server, and through the local relay to a fake Slack allowing 1 post/s',
      );
      const accept = await measureAccept();

      // Cost, from the measured CPU time per invocation (every call answered at once) and the construct's sizes.
      const { ingest: ingestProbe, notifier: notifierProbe } = memory.results;
      const measuredIngest: MeasuredFunction = {
        memorySizeMb: setup.ingest.deployed.memorySizeMb,
        cpuMsPerInvocation: [...warmIngest.realMeanMs].sort((a, b) => a - b)[1]!,
        coldStartMs: coldStart.overheadMs.ingest!.medianMs,
        logBytesPerInvocation: ingestProbe.logBytesPerInvocation!,
        awsCallsPerInvocation: ingestProbe.awsCallsPerInvocation!,
        recordsPerInvocation: 1,
      };
      const measuredNotifier: MeasuredFunction = {
        memorySizeMb: setup.notifier.deployed.memorySizeMb,
        cpuMsPerInvocation: notifierProbe.latency!.meanMs,
        coldStartMs: coldStart.overheadMs.notifier!.medianMs,
        logBytesPerInvocation: notifierProbe.logBytesPerInvocation!,
        awsCallsPerInvocation: notifierProbe.awsCallsPerInvocation!,
        recordsPerInvocation: setup.batchSize,
        chatBodyBytesPerRecord: memory.chatBodyBytesPerRecord,
      };
      // The same million arriving in bursts: the ingest consumer reads full batches.
      const burstCost = estimateCost(measuredIngest, measuredNotifier, {
        ...DEFAULT_ASSUMPTIONS,
        ingestRecordsPerBatch: INGEST_BATCH_SIZE,
      });
      const choose = (fn: 'ingest' | 'notifier', peakRssBytes: number) =>
        chooseMemorySize(fn, measuredIngest, measuredNotifier, peakRssBytes, COLD_START_BUDGET_MS[fn]);
      const bundles = setup.bundles;
      return {
        date: new Date().toISOString(),
        node: process.version,
        machine: `${process.platform}/${process.arch}, ${cpus().length} CPUs`,
        durationSeconds: (performance.now() - started) / 1000,
        bundles: { ...bundles, 'bare ingest': setup.bare.ingest, 'bare notifier': setup.bare.notifier },
        coldStart,
        warmIngest: { real: warmIngest.real, bare: warmIngest.bare, ratio: warmIngest.ratio },
        memory: { ingest: memory.ingest, notifier: memory.notifier },
        endToEnd: e2e,
        storm: accept.storm,
        bareAccept: accept.bare,
        acceptRatio: accept.ratio,
        deployedAccept: DEPLOYED_ACCEPT,
        measuredFunctions: { ingest: measuredIngest, notifier: measuredNotifier },
        cost: estimateCost(measuredIngest, measuredNotifier),
        burstCostPerMillionUsd: burstCost.perMillionEventsUsd,
        memoryChoice: {
          ingest: choose('ingest', ingestProbe.maxRssBytes!),
          notifier: choose('notifier', notifierProbe.maxRssBytes!),
        },
        unknownAwsOperations: [
          ...new Set([...(ingestProbe.unknownAwsOperations ?? []), ...(notifierProbe.unknownAwsOperations ?? [])]),
        ],
        checks: checkTargets({ bundles, coldStart, warmIngest, memory, accept }),
      };
    } finally {
      setup.cleanUp();
    }
  } finally {
    await sink.close();
  }
}
