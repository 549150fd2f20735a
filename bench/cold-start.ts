import type { ProbeSpec } from './probe/protocol';
import { runProbe, timedProcess } from './processes';
import type { Setup } from './setup';
import { log, median, p90 } from './stats';

/* Cold starts: fresh processes that load a bundle and handle one event, beside `node -e 0` and the bare handlers. */

interface ColdSample {
  readonly wallMs: number;
  readonly loadedAtMs: number;
  readonly firstAnswerAtMs: number;
}

export interface ColdStart {
  /** Wall-clock time of the process, spawn to exit. */
  readonly medianMs: number;
  readonly p90Ms: number;
  /** Inside the process, from its start: the bundle loaded, and the first event answered (medians). */
  readonly loadedAtMedianMs: number;
  readonly firstAnswerAtMedianMs: number;
  readonly samples: readonly number[];
}

export interface ColdStarts {
  readonly runs: number;
  readonly nodeBaselineMs: ColdStart;
  readonly subjects: Readonly<Record<string, ColdStart>>;
  /** Median overhead over `node -e 0`: the figure compared. */
  readonly overheadMs: Readonly<Record<string, { medianMs: number; p90Ms: number }>>;
  /** Each function's overhead over its bare handler's, measured in the same rounds. */
  readonly ratio: { readonly ingest: number; readonly notifier: number };
}

const BASELINE = 'node -e 0';

/** Interleaved, so that load from anything else on the machine falls on every subject alike. */
export async function measureColdStarts(setup: Setup, runs: number): Promise<ColdStarts> {
  log(`cold starts: ${runs} fresh processes per subject`);
  const { probes, workDir, ingest, notifier, bare } = setup;
  const cold = async (
    bundle: string,
    events: string,
    timeoutMs: number,
    env: NodeJS.ProcessEnv,
    check: ProbeSpec['check'] = 'noBatchFailures',
  ): Promise<ColdSample> => {
    const { wallMs, result } = await runProbe(
      probes,
      workDir,
      { mode: 'cold', bundle, events, check, timeoutMs, warmup: 0, count: 1 },
      env,
    );
    return { wallMs, loadedAtMs: result.loadedAtMs!, firstAnswerAtMs: result.firstAnswerAtMs! };
  };
  const subjects: Record<string, () => Promise<ColdSample>> = {
    [BASELINE]: async () => ({
      wallMs: (await timedProcess(['-e', '0'], ingest.env)).wallMs,
      loadedAtMs: NaN,
      firstAnswerAtMs: NaN,
    }),
    ingest: () => cold(ingest.bundle, setup.ingestEvents, ingest.timeoutMs, ingest.env),
    'bare ingest': () => cold(bare.ingest.file, setup.ingestEvents, ingest.timeoutMs, ingest.env),
    notifier: () => cold(notifier.bundle, setup.notifierOneRecord, notifier.timeoutMs, notifier.env),
    'bare notifier': () => cold(bare.notifier.file, setup.notifierOneRecord, notifier.timeoutMs, notifier.env),
  };
  const names = Object.keys(subjects);
  const samples: Record<string, ColdSample[]> = Object.fromEntries(names.map((n) => [n, []]));
  // One untimed round first: the disk cache and the first spawn are not what a cold start is.
  for (const name of names) await subjects[name]!();
  // Two processes at a time, subjects in rotation: every subject starts beside every other alike, and on a machine
  // that other jobs keep busy the run gets two shares of it rather than one.
  const order = Array.from({ length: runs }, (_, round) =>
    names.map((_, k) => names[(round + k) % names.length]!),
  ).flat();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < order.length) {
      const name = order[next++]!;
      samples[name]!.push(await subjects[name]!());
    }
  };
  await Promise.all([worker(), worker()]);
  const coldOf = (name: string): ColdStart => {
    const wall = samples[name]!.map((x) => x.wallMs);
    return {
      medianMs: median(wall),
      p90Ms: p90(wall),
      loadedAtMedianMs: median(samples[name]!.map((x) => x.loadedAtMs)),
      firstAnswerAtMedianMs: median(samples[name]!.map((x) => x.firstAnswerAtMs)),
      samples: wall,
    };
  };
  const baseline = coldOf(BASELINE);
  const measured = names.filter((n) => n !== BASELINE);
  const overheadMs = Object.fromEntries(
    measured.map((n) => [
      n,
      { medianMs: coldOf(n).medianMs - baseline.medianMs, p90Ms: coldOf(n).p90Ms - baseline.p90Ms },
    ]),
  );
  return {
    runs,
    nodeBaselineMs: baseline,
    subjects: Object.fromEntries(measured.map((n) => [n, coldOf(n)])),
    overheadMs,
    ratio: {
      ingest: overheadMs.ingest!.medianMs / overheadMs['bare ingest']!.medianMs,
      notifier: overheadMs.notifier!.medianMs / overheadMs['bare notifier']!.medianMs,
    },
  };
}
