import type { ProbeResult } from './probe/protocol';
import { runProbe } from './processes';
import type { Setup } from './setup';
import { log } from './stats';

/* Warm ingest: one process handles events one after another, the real consumer's beside the bare one's. */

export interface Warm {
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** With V8 sized for the construct's memory size. */
  readonly peakRssBytes: number;
}

export interface WarmIngest {
  readonly real: Warm;
  readonly bare: Warm;
  /** Real over bare events per second, measured in the same rounds. */
  readonly ratio: number;
  /** Mean handler time per event of each real round, for the cost model. */
  readonly realMeanMs: readonly number[];
}

const ROUNDS = 3;

/** Three rounds, real and bare side by side in each; the round with the median throughput counts. */
export async function measureWarmIngest(setup: Setup, events: number): Promise<WarmIngest> {
  log(`warm ingest: ${events} events, real and bare handler, ${ROUNDS} rounds each`);
  const rounds: Record<'real' | 'bare', ProbeResult[]> = { real: [], bare: [] };
  for (let round = 0; round < ROUNDS; round++) {
    // Real and bare side by side: whatever else loads the machine loads both alike.
    const both = (['real', 'bare'] as const).map(async (which) => {
      const bundle = which === 'real' ? setup.ingest.bundle : setup.bare.ingest.file;
      const run = await runProbe(
        setup.probes,
        setup.workDir,
        {
          mode: 'loop',
          bundle,
          events: setup.ingestEvents,
          check: 'noBatchFailures',
          timeoutMs: setup.ingest.timeoutMs,
          warmup: 250,
          count: events,
        },
        setup.ingest.env,
      );
      rounds[which].push(run.result);
    });
    await Promise.all(both);
  }
  const warmOf = (results: ProbeResult[]): Warm => {
    const rated = results
      .map((r) => ({ r, rate: r.invocations! / (r.totalMs! / 1000) }))
      .sort((a, b) => a.rate - b.rate);
    const mid = rated[Math.floor(rated.length / 2)]!;
    return {
      eventsPerSecond: mid.rate,
      p50Ms: mid.r.latency!.p50Ms,
      p99Ms: mid.r.latency!.p99Ms,
      peakRssBytes: mid.r.maxRssBytes!,
    };
  };
  const real = warmOf(rounds.real);
  const bare = warmOf(rounds.bare);
  return {
    real,
    bare,
    ratio: real.eventsPerSecond / bare.eventsPerSecond,
    realMeanMs: rounds.real.map((r) => r.latency!.meanMs),
  };
}
