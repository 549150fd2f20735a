/**
 * Performance benchmark of the relay's Lambda functions and of the local relay, compared in the same run with
 * bare handlers that do the least such a function could do.
 *
 *   npm run bench [-- --cold-runs 25 --warm-events 5000 --e2e-requests 2000 --e2e-concurrency 50
 *                     --e2e-kind slack|teams --e2e-destination '{"…": …}' --destination '{"…": …}']
 *
 * Prints one table and writes every figure to bench/results/bench.json. Exits 1 when a target is missed (and says
 * which), 2 when the run could not be completed. See README "Performance" for the method.
 */
import { INGEST_BATCH_SIZE } from '../lib/relay/ingest-endpoint';
import { DEPLOYED_ACCEPT, STORM_VISIBLE_LIMIT_MS, stormFigures, type StormFigure } from './storm-figure';
import { faultMixFigure, faultMixLines, faultMixTargets, type FaultMixFigure } from './fault-latency';
import { ATTRIBUTE_PREFIX, type QueuedAttributeName } from '../functions/ingest/queued-webhook';
import { fork, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { cpus, tmpdir } from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import type { ChatKind } from '../functions/config/destination-kinds';
import { MAX_BATCH_SIZE, parseRelayConfig } from '../functions/config/relay-config';
import { bundleBareHandlers, bundleRelayFunctions, buildProbes, RUNTIME_NODE_MAJOR, type Bundle } from './bundles';
import { startChatSink } from './chat-sink';
import {
  chooseMemorySize,
  DEFAULT_ASSUMPTIONS,
  estimateCost,
  PRICES,
  type CostEstimate,
  type MeasuredFunction,
  type MemoryChoice,
} from './cost';
import { BENCH_REGION, synthesizeDeployment, type DeployedFunction } from './deployment';
import { percentile, type ProbeResult, type ProbeSpec } from './probe/protocol';
import type { RelayProbeReport } from './probe/relay';
import { RESULTS_DIR, runBench, writeResults } from './results';

const FIXTURES_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'paubox');
const SLACK_URL = 'https://hooks.slack.com/services/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h';
const MIB = 1024 * 1024;
/** A whole run must finish within this; `npm run bench` is meant to take well under 3 minutes. */
const TIME_LIMIT_MS = 170_000;
const E2E_TIME_LIMIT_MS = 60_000;

/** The targets; each is checked against this run's figures. */
export const TARGETS = {
  ingestBundleBytes: 60 * 1024,
  notifierBundleBytes: 120 * 1024,
  peakRssBytes: 128 * MIB,
  /** Heap (after a full GC) may not grow more than this between the first and the last tenth of the events. */
  heapGrowthBytes: 1 * MIB,
  coldStartRatio: 1.5,
  warmThroughputRatio: 0.5,
} as const;

/**
 * The memory runs give V8 the limits Lambda gives it in a function of this size: V8 sizes its young generation from
 * the memory size, so a larger function shows a larger RSS for the same work. The target is that a handler fits here.
 */
const MEMORY_TARGET_MB = 128;

/** Cold-start budgets used to choose memory sizes: Paubox waits on ingest (and never retries); nobody waits on a notifier. */
const COLD_START_BUDGET_MS = { ingest: 500, notifier: 1000 } as const;

/**
 * The destination settings both the notifier and the end-to-end runs use unless told otherwise: the everyday path,
 * one post per event (no batching window, no digest), with pacing allowed 1,000 posts a second, so that the runs
 * measure the relay rather than Slack's one-a-second limit; the pacer's DynamoDB calls are still made and counted.
 * `npm run bench:storm` measures the storm path (digests and pacing at 1 a second).
 */
const EVERYDAY_DESTINATION = JSON.stringify({
  digest: { windowSeconds: 0, batchSize: 10, minGroupSize: MAX_BATCH_SIZE },
  rateLimit: { messagesPerSecond: 1000 },
});

/** One destination receiving every event type, so that every fixture is routed and posted; `extra` adds settings. */
const benchConfig = (extra: Record<string, unknown>) =>
  parseRelayConfig(
    {
      destinations: [{ name: 'bench', kind: 'slack', detail: 'minimal', ...extra }],
      routes: [{ events: ['permanent_failure', 'temporary_failure', 'delivered', 'opened'], to: ['bench'] }],
    },
    'deploy',
  );

const benchStarted = performance.now();
/** Each line says when its phase started, so a slow phase shows. */
const log = (line: string) =>
  process.stderr.write(`bench: [${((performance.now() - benchStarted) / 1000).toFixed(0)} s] ${line}\n`);
/** Events through each function in the memory phase, heap measured after a full GC every tenth of them. */
const MEMORY_EVENTS = 6000;
const median = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
const p90 = (values: readonly number[]) =>
  percentile(
    [...values].sort((a, b) => a - b),
    90,
  );
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
const mb = (bytes: number) => `${(bytes / MIB).toFixed(1)} MB`;
const ms = (value: number) => `${value.toFixed(value < 10 ? 2 : 1)} ms`;

// ---------------------------------------------------------------------------------------------------------------
// Probe processes

interface Probes {
  readonly runner: string;
  readonly stub: string;
  readonly relay: string;
}

interface ProbeRun {
  readonly wallMs: number;
  readonly result: ProbeResult;
}

class BenchError extends Error {
  public readonly name = 'BenchError';
}

let probeCount = 0;

/** Starts `node <args>` with `env`, and resolves with its wall-clock time from spawn to exit. */
function timedProcess(
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ wallMs: number; code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => resolve({ wallMs: performance.now() - t0, code, stderr }));
  });
}

async function runProbe(
  probes: Probes,
  workDir: string,
  spec: Omit<ProbeSpec, 'result'>,
  env: NodeJS.ProcessEnv,
  v8MemoryMb: number = Number(env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? MEMORY_TARGET_MB),
): Promise<ProbeRun> {
  const nodeArgs = lambdaNodeFlags(v8MemoryMb);
  const result = path.join(workDir, `probe-${probeCount++}.json`);
  const full: ProbeSpec = { ...spec, result };
  const run = await timedProcess([...nodeArgs, '--require', probes.stub, probes.runner], {
    ...env,
    BENCH_PROBE: JSON.stringify(full),
  });
  let parsed: ProbeResult;
  try {
    parsed = JSON.parse(readFileSync(result, 'utf8')) as ProbeResult;
  } catch {
    throw new BenchError(
      `${path.basename(path.dirname(spec.bundle))} probe exited with ${String(run.code)} and no result: ${run.stderr.slice(0, 2000)}`,
    );
  }
  if (!parsed.ok)
    throw new BenchError(`${path.basename(path.dirname(spec.bundle))} probe failed: ${parsed.error ?? 'no reason'}`);
  return { wallMs: run.wallMs, result: parsed };
}

/**
 * The V8 flags the Lambda Node.js runtime's bootstrap starts `node` with for a memory size: a tenth of the memory
 * for the young generation (half of it a semi-space), the rest for the old generation, and `--expose-gc`.
 */
function lambdaNodeFlags(memoryMb: number): string[] {
  const newSpace = Math.floor(memoryMb / 10);
  return [
    '--expose-gc',
    `--max-semi-space-size=${Math.floor(newSpace / 2)}`,
    `--max-old-space-size=${memoryMb - newSpace}`,
  ];
}

/** What Lambda puts in every function's environment, besides the construct's variables. */
function lambdaEnvironment(fn: DeployedFunction, name: string): NodeJS.ProcessEnv {
  return {
    PATH: process.env.PATH,
    TZ: ':UTC',
    LANG: 'en_US.UTF-8',
    AWS_REGION: BENCH_REGION,
    AWS_DEFAULT_REGION: BENCH_REGION,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'bench-session-token',
    AWS_EXECUTION_ENV: `AWS_Lambda_nodejs${RUNTIME_NODE_MAJOR}.x`,
    AWS_LAMBDA_FUNCTION_NAME: `bench-${name}`,
    AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memorySizeMb),
    AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
    // Lambda runs Node.js 22, where the SDK has no version warning to print; on older local Node.js it would.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    ...fn.environment,
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Events

function fixtures(): string[] {
  return readdirSync(FIXTURES_DIR)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => readFileSync(path.join(FIXTURES_DIR, f), 'utf8'));
}

/** One webhook as the ingest consumer receives it: an SQS record shaped as API Gateway's integration writes it. */
function queuedEvent(token: string, body: string, i: number): unknown {
  const values: Record<QueuedAttributeName, string> = {
    token,
    webhookId: '',
    webhookTimestamp: '',
    webhookSignature: '',
    receivedAt: String(Date.now()),
    requestId: `bench-${i}`,
    contentEncoding: '',
  };
  return {
    Records: [
      {
        messageId: `bench-${i}`,
        receiptHandle: `bench-${i}`,
        body,
        attributes: { ApproximateReceiveCount: '1', SentTimestamp: String(Date.now()) },
        messageAttributes: Object.fromEntries(
          Object.entries(values).map(([name, value]) => [
            name,
            { dataType: 'String', stringValue: `${ATTRIBUTE_PREFIX}${value}` },
          ]),
        ),
        md5OfBody: '',
        eventSource: 'aws:sqs',
        eventSourceARN: 'arn:aws:sqs:us-east-1:111122223333:relay-ingest',
        awsRegion: 'us-east-1',
      },
    ],
  };
}

/**
 * A published event made distinct by its key: the notifier posts an event once per batch (copies of it are
 * duplicates), and the fixtures are fewer than a batch.
 */
function distinctEvent(body: string, n: number): string {
  const event = JSON.parse(body) as { key: string };
  return JSON.stringify({ ...event, key: `${event.key.slice(0, -8)}${n.toString(16).padStart(8, '0')}` });
}

function sqsEvent(bodies: readonly string[], offset: number): unknown {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `00000000-0000-4000-8000-${String(offset + i).padStart(12, '0')}`,
      receiptHandle: 'bench',
      body,
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: String(Date.now()),
        SenderId: 'bench',
        ApproximateFirstReceiveTimestamp: String(Date.now()),
      },
      messageAttributes: {},
      md5OfBody: '',
      eventSource: 'aws:sqs',
      eventSourceARN: `arn:aws:sqs:${BENCH_REGION}:111122223333:bench`,
      awsRegion: BENCH_REGION,
    })),
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Local relay end to end

interface EndToEnd {
  readonly requests: number;
  readonly concurrency: number;
  readonly kind: ChatKind;
  /** POST sent → alert received by the fake chat server. */
  readonly receiptP50Ms: number;
  readonly receiptP99Ms: number;
  /** POST sent → 202 answered. */
  readonly answerP50Ms: number;
  readonly answerP99Ms: number;
  readonly eventsPerSecond: number;
  readonly relayPeakRssBytes: number;
  readonly relayHeapAfterBytes: number;
}

function e2eBody(template: Record<string, unknown>, i: number): string {
  const payload = template.payload as Record<string, unknown>;
  return JSON.stringify({
    ...template,
    payload: {
      ...payload,
      id: 8_000_000_000 + i,
      source_tracking_id: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`,
      header_message_id: `<bench-${i}@mail.clinic.example.com>`,
    },
  });
}

async function endToEnd(
  probes: Probes,
  workDir: string,
  options: { requests: number; concurrency: number; kind: ChatKind; destination: Record<string, unknown> },
): Promise<EndToEnd> {
  const sink = await startChatSink(options.kind);
  const token = 'bench-local-relay-token';
  const config = {
    destinations: [
      { name: 'bench', kind: options.kind, detail: 'minimal', url: `${sink.baseUrl}/e2e`, ...options.destination },
    ],
    routes: [{ events: ['permanent_failure'], to: ['bench'] }],
  };
  const child = fork(probes.relay, [], {
    execArgv: ['--expose-gc'],
    env: {
      PATH: process.env.PATH,
      RELAY_PROBE: JSON.stringify({ config, token, dataDir: path.join(workDir, 'relay-data') }),
    },
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  const nextMessage = <T>() =>
    new Promise<T>((resolve, reject) => {
      child.once('message', (m) => resolve(m as T));
      child.once('exit', (code) =>
        reject(new BenchError(`local relay exited with ${String(code)}: ${stderr.slice(0, 1000)}`)),
      );
    });
  try {
    const { url } = await nextMessage<{ url: string }>();
    const template = JSON.parse(readFileSync(path.join(FIXTURES_DIR, 'permanent_failure.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    const sent = new Array<number>(options.requests).fill(NaN);
    const answered = new Array<number>(options.requests).fill(NaN);
    const received = new Array<number>(options.requests).fill(NaN);
    let receivedCount = 0;
    let allReceived: () => void = () => undefined;
    const done = new Promise<void>((resolve) => (allReceived = resolve));
    sink.onPost((body, at) => {
      // Teams cards backslash-escape markdown punctuation (`\-`): drop the escapes before looking for the id.
      const match = /00000000-0000-4000-8000-(\d{12})/.exec(body.replace(/\\/g, ''));
      const i = match ? Number(match[1]) : NaN;
      if (Number.isInteger(i) && i < options.requests && Number.isNaN(received[i]!)) {
        received[i] = at;
        if (++receivedCount === options.requests) allReceived();
      }
    });
    const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
    const post = (i: number) =>
      new Promise<void>((resolve, reject) => {
        const body = e2eBody(template, i);
        sent[i] = performance.now();
        const req = request(
          url,
          {
            method: 'POST',
            agent,
            headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
          },
          (res) => {
            res.resume();
            res.on('end', () => {
              answered[i] = performance.now();
              if (res.statusCode !== 202)
                reject(new BenchError(`local relay answered ${String(res.statusCode)} to request ${i}`));
              else resolve();
            });
          },
        );
        req.on('error', reject);
        req.end(body);
      });
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next < options.requests) await post(next++);
      }),
    );
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      done,
      new Promise<void>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new BenchError(
                `${receivedCount} of ${options.requests} alerts reached the fake ${options.kind} server in ${E2E_TIME_LIMIT_MS / 1000} s. ` +
                  "If the destination paces its posts, switch pacing off with --e2e-destination '{…}' or measure with --e2e-kind teams.",
              ),
            ),
          E2E_TIME_LIMIT_MS,
        );
      }),
    ]).finally(() => clearTimeout(timer));
    const finished = Math.max(...received);
    agent.destroy();
    child.send('report');
    const report = await nextMessage<RelayProbeReport>();
    const receipt = received.map((at, i) => at - sent[i]!);
    const answer = answered.map((at, i) => at - sent[i]!);
    return {
      requests: options.requests,
      concurrency: options.concurrency,
      kind: options.kind,
      receiptP50Ms: median(receipt),
      receiptP99Ms: percentile(
        [...receipt].sort((a, b) => a - b),
        99,
      ),
      answerP50Ms: median(answer),
      answerP99Ms: percentile(
        [...answer].sort((a, b) => a - b),
        99,
      ),
      eventsPerSecond: options.requests / ((finished - started) / 1000),
      relayPeakRssBytes: report.maxRssBytes,
      relayHeapAfterBytes: report.heapUsedBytes,
    };
  } finally {
    if (child.exitCode === null) child.kill();
    await sink.close();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The run

interface ColdSample {
  readonly wallMs: number;
  readonly loadedAtMs: number;
  readonly firstAnswerAtMs: number;
}

interface ColdStart {
  /** Wall-clock time of the process, spawn to exit. */
  readonly medianMs: number;
  readonly p90Ms: number;
  /** Inside the process, from its start: the bundle loaded, and the first event answered (medians). */
  readonly loadedAtMedianMs: number;
  readonly firstAnswerAtMedianMs: number;
  readonly samples: readonly number[];
}

interface Warm {
  readonly eventsPerSecond: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  /** With V8 sized for the construct's memory size. */
  readonly peakRssBytes: number;
}

interface Memory {
  readonly events: number;
  readonly peakRssBytes: number;
  readonly heapFirstBytes: number;
  readonly heapLastBytes: number;
  readonly heapGrowthBytes: number;
  readonly rssFirstBytes: number;
  readonly rssLastBytes: number;
}

interface Check {
  readonly target: string;
  readonly measured: string;
  readonly ok: boolean;
}

export interface BenchReport {
  readonly date: string;
  readonly node: string;
  readonly machine: string;
  readonly durationSeconds: number;
  readonly bundles: Readonly<Record<string, Bundle>>;
  readonly coldStart: {
    readonly runs: number;
    readonly nodeBaselineMs: ColdStart;
    readonly subjects: Readonly<Record<string, ColdStart>>;
    /** Median overhead over `node -e 0`: the figure compared. */
    readonly overheadMs: Readonly<Record<string, { medianMs: number; p90Ms: number }>>;
    readonly ratio: { readonly ingest: number; readonly notifier: number };
  };
  readonly warmIngest: { readonly real: Warm; readonly bare: Warm; readonly ratio: number };
  readonly memory: { readonly ingest: Memory; readonly notifier: Memory };
  readonly endToEnd: EndToEnd;
  readonly storm: StormFigure;
  readonly faultMix: FaultMixFigure;
  /** Cost per million when webhooks come in bursts (full ingest batches) rather than one at a time. */
  readonly burstCostPerMillionUsd: number;
  readonly deployedAccept: typeof DEPLOYED_ACCEPT;
  readonly measuredFunctions: { readonly ingest: MeasuredFunction; readonly notifier: MeasuredFunction };
  readonly cost: CostEstimate;
  readonly memoryChoice: { readonly ingest: MemoryChoice; readonly notifier: MemoryChoice };
  readonly unknownAwsOperations: readonly string[];
  readonly checks: readonly Check[];
}

async function run(options: {
  coldRuns: number;
  warmEvents: number;
  e2eRequests: number;
  e2eConcurrency: number;
  e2eKind: ChatKind;
  e2eDestination: Record<string, unknown>;
  destination: Record<string, unknown>;
}): Promise<BenchReport> {
  const started = performance.now();
  const buildDir = path.join(RESULTS_DIR, 'build');
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  const workDir = mkdtempSync(path.join(tmpdir(), 'relay-bench-'));
  const sink = await startChatSink('slack');
  try {
    log('bundling the functions as the construct does');
    const [bundles, bare, probes] = await Promise.all([
      bundleRelayFunctions(buildDir),
      bundleBareHandlers(buildDir),
      buildProbes(buildDir),
    ]);
    log("reading the functions' settings from the synthesized template");
    const deployment = synthesizeDeployment(benchConfig(options.destination), SLACK_URL);
    const shared = {
      BENCH_SECRETS: JSON.stringify(deployment.secretValues),
      BENCH_CHAT_REDIRECT: JSON.stringify({ [new URL(SLACK_URL).hostname]: sink.baseUrl }),
    };
    const ingestEnv = { ...lambdaEnvironment(deployment.functions.ingest, 'ingest'), ...shared };
    const notifierEnv = { ...lambdaEnvironment(deployment.functions.notifier, 'notifier'), ...shared };
    const ingestTimeoutMs = deployment.functions.ingest.timeoutSeconds * 1000;
    const notifierTimeoutMs = deployment.functions.notifier.timeoutSeconds * 1000;
    const batchSize = deployment.functions.notifier.batchSize ?? 10;

    // Ingest events: the fixtures, in turn. Notifier events: what the ingest bundle published for them.
    const ingestEvents = path.join(workDir, 'ingest-events.json');
    writeFileSync(ingestEvents, JSON.stringify(fixtures().map((body, i) => queuedEvent(deployment.token, body, i))));
    const capture = path.join(workDir, 'published.jsonl');
    await runProbe(
      probes,
      workDir,
      {
        mode: 'loop',
        bundle: bundles.ingest.file,
        events: ingestEvents,
        check: 'noBatchFailures',
        timeoutMs: ingestTimeoutMs,
        warmup: 1,
        count: fixtures().length,
      },
      { ...ingestEnv, BENCH_CAPTURE_FILE: capture },
    );
    const published = readFileSync(capture, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { message: string }).message);
    if (published.length === 0) throw new BenchError('the ingest bundle published nothing to the stubbed topic');
    const oneRecord = path.join(workDir, 'notifier-one.json');
    writeFileSync(oneRecord, JSON.stringify(published.map((body, i) => sqsEvent([body], i))));
    const batches = path.join(workDir, 'notifier-batches.json');
    writeFileSync(
      batches,
      JSON.stringify(
        Array.from({ length: 20 }, (_, b) =>
          sqsEvent(
            Array.from({ length: batchSize }, (_, i) =>
              distinctEvent(published[(b * batchSize + i) % published.length]!, b * batchSize + i),
            ),
            b * batchSize,
          ),
        ),
      ),
    );

    // Cold starts: interleaved, so that load from anything else on the machine falls on every subject alike.
    log(`cold starts: ${options.coldRuns} fresh processes per subject`);
    const cold = async (
      bundle: string,
      events: string,
      check: ProbeSpec['check'],
      timeoutMs: number,
      env: NodeJS.ProcessEnv,
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
      'node -e 0': async () => ({
        wallMs: (await timedProcess(['-e', '0'], ingestEnv)).wallMs,
        loadedAtMs: NaN,
        firstAnswerAtMs: NaN,
      }),
      ingest: () => cold(bundles.ingest.file, ingestEvents, 'noBatchFailures', ingestTimeoutMs, ingestEnv),
      'bare ingest': () => cold(bare.ingest.file, ingestEvents, 'noBatchFailures', ingestTimeoutMs, ingestEnv),
      notifier: () => cold(bundles.notifier.file, oneRecord, 'noBatchFailures', notifierTimeoutMs, notifierEnv),
      'bare notifier': () => cold(bare.notifier.file, oneRecord, 'noBatchFailures', notifierTimeoutMs, notifierEnv),
    };
    const names = Object.keys(subjects);
    const samples: Record<string, ColdSample[]> = Object.fromEntries(names.map((n) => [n, []]));
    // One untimed round first: the disk cache and the first spawn are not what a cold start is.
    for (const name of names) await subjects[name]!();
    for (let round = 0; round < options.coldRuns; round++) {
      for (let k = 0; k < names.length; k++) {
        const name = names[(round + k) % names.length]!;
        samples[name]!.push(await subjects[name]!());
      }
    }
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
    const baseline = coldOf('node -e 0');
    const overhead = Object.fromEntries(
      names
        .filter((n) => n !== 'node -e 0')
        .map((n) => [n, { medianMs: coldOf(n).medianMs - baseline.medianMs, p90Ms: coldOf(n).p90Ms - baseline.p90Ms }]),
    );

    // Warm ingest: real and bare in turn, three rounds each; the round with the median throughput counts.
    log(`warm ingest: ${options.warmEvents} events, real and bare handler, 3 rounds each`);
    const warmRounds: Record<'real' | 'bare', ProbeResult[]> = { real: [], bare: [] };
    for (let round = 0; round < 3; round++) {
      for (const which of ['real', 'bare'] as const) {
        const bundle = which === 'real' ? bundles.ingest.file : bare.ingest.file;
        warmRounds[which].push(
          (
            await runProbe(
              probes,
              workDir,
              {
                mode: 'loop',
                bundle,
                events: ingestEvents,
                check: 'noBatchFailures',
                timeoutMs: ingestTimeoutMs,
                warmup: 1000,
                count: options.warmEvents,
              },
              ingestEnv,
            )
          ).result,
        );
      }
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
    const warmReal = warmOf(warmRounds.real);
    const warmBare = warmOf(warmRounds.bare);

    // Memory: MEMORY_EVENTS through one process each, heap measured after a full GC every tenth of them. The two
    // processes run side by side: each measures its own heap, which the other does not touch.
    log(
      `memory: ${MEMORY_EVENTS} events through the ingest and the notifier, V8 sized as in a ${MEMORY_TARGET_MB} MB function`,
    );
    const postsBefore = sink.received;
    const bytesBefore = sink.bodyBytes;
    const [ingestRun, notifierRun] = await Promise.all([
      runProbe(
        probes,
        workDir,
        {
          mode: 'loop',
          bundle: bundles.ingest.file,
          events: ingestEvents,
          check: 'noBatchFailures',
          timeoutMs: ingestTimeoutMs,
          warmup: 0,
          count: MEMORY_EVENTS,
          gcEvery: MEMORY_EVENTS / 10,
        },
        ingestEnv,
        MEMORY_TARGET_MB,
      ),
      runProbe(
        probes,
        workDir,
        {
          mode: 'loop',
          bundle: bundles.notifier.file,
          events: batches,
          check: 'noBatchFailures',
          timeoutMs: notifierTimeoutMs,
          warmup: 0,
          count: MEMORY_EVENTS / batchSize,
          gcEvery: MEMORY_EVENTS / 10 / batchSize,
        },
        notifierEnv,
        MEMORY_TARGET_MB,
      ),
    ]);
    const ingestMemory = ingestRun.result;
    const notifierMemory = notifierRun.result;
    const posts = sink.received - postsBefore;
    if (posts < MEMORY_EVENTS) throw new BenchError(`the notifier posted ${posts} alerts for ${MEMORY_EVENTS} records`);
    const chatBodyBytesPerRecord = (sink.bodyBytes - bytesBefore) / posts;
    const memoryOf = (r: ProbeResult, perSample: number): Memory => {
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
    };

    log(
      `local relay end to end: ${options.e2eRequests} webhooks at concurrency ${options.e2eConcurrency} to a fake ${options.e2eKind} server`,
    );
    const e2e = await endToEnd(probes, workDir, {
      requests: options.e2eRequests,
      concurrency: options.e2eConcurrency,
      kind: options.e2eKind,
      destination: options.e2eDestination,
    });
    log('storm, 3 runs: 2,000 webhooks at concurrency 100 through the local relay to a fake Slack allowing 1 post/s');
    const storm = await stormFigures();
    log('fault mix: 300 webhooks to a fake Slack answering a seeded mix of faults, local relay and deployed notifier');
    const faultMix = await faultMixFigure();

    // Cost, from the measured CPU time per invocation (every call answered at once) and the construct's sizes.
    const measuredIngest: MeasuredFunction = {
      memorySizeMb: deployment.functions.ingest.memorySizeMb,
      cpuMsPerInvocation: warmRounds.real.map((r) => r.latency!.meanMs).sort((a, b) => a - b)[1]!,
      coldStartMs: overhead.ingest!.medianMs,
      logBytesPerInvocation: ingestMemory.logBytesPerInvocation!,
      awsCallsPerInvocation: ingestMemory.awsCallsPerInvocation!,
      recordsPerInvocation: 1,
    };
    const measuredNotifier: MeasuredFunction = {
      memorySizeMb: deployment.functions.notifier.memorySizeMb,
      cpuMsPerInvocation: notifierMemory.latency!.meanMs,
      coldStartMs: overhead.notifier!.medianMs,
      logBytesPerInvocation: notifierMemory.logBytesPerInvocation!,
      awsCallsPerInvocation: notifierMemory.awsCallsPerInvocation!,
      recordsPerInvocation: batchSize,
      chatBodyBytesPerRecord,
    };
    const cost = estimateCost(measuredIngest, measuredNotifier);
    // The same million arriving in bursts: the ingest consumer reads full batches.
    const burstCost = estimateCost(measuredIngest, measuredNotifier, {
      ...DEFAULT_ASSUMPTIONS,
      ingestRecordsPerBatch: INGEST_BATCH_SIZE,
    });
    const memoryChoice = {
      ingest: chooseMemorySize(
        'ingest',
        measuredIngest,
        measuredNotifier,
        ingestMemory.maxRssBytes!,
        COLD_START_BUDGET_MS.ingest,
      ),
      notifier: chooseMemorySize(
        'notifier',
        measuredIngest,
        measuredNotifier,
        notifierMemory.maxRssBytes!,
        COLD_START_BUDGET_MS.notifier,
      ),
    };

    const memory = { ingest: memoryOf(ingestMemory, 1), notifier: memoryOf(notifierMemory, batchSize) };
    const ratio = {
      ingest: overhead.ingest!.medianMs / overhead['bare ingest']!.medianMs,
      notifier: overhead.notifier!.medianMs / overhead['bare notifier']!.medianMs,
    };
    const warmRatio = warmReal.eventsPerSecond / warmBare.eventsPerSecond;
    const checks: Check[] = [
      {
        target: `ingest bundle ≤ ${kb(TARGETS.ingestBundleBytes)}`,
        measured: kb(bundles.ingest.bytes),
        ok: bundles.ingest.bytes <= TARGETS.ingestBundleBytes,
      },
      {
        target: `notifier bundle ≤ ${kb(TARGETS.notifierBundleBytes)}`,
        measured: kb(bundles.notifier.bytes),
        ok: bundles.notifier.bytes <= TARGETS.notifierBundleBytes,
      },
      {
        target: `ingest cold-start overhead ≤ ${TARGETS.coldStartRatio}× bare`,
        measured: `${ratio.ingest.toFixed(2)}×`,
        ok: ratio.ingest <= TARGETS.coldStartRatio,
      },
      {
        target: `notifier cold-start overhead ≤ ${TARGETS.coldStartRatio}× bare`,
        measured: `${ratio.notifier.toFixed(2)}×`,
        ok: ratio.notifier <= TARGETS.coldStartRatio,
      },
      {
        target: `warm ingest throughput ≥ ${TARGETS.warmThroughputRatio}× bare`,
        measured: `${warmRatio.toFixed(2)}×`,
        ok: warmRatio >= TARGETS.warmThroughputRatio,
      },
      ...(['ingest', 'notifier'] as const).flatMap((fn) => [
        {
          target: `${fn} peak RSS ≤ ${mb(TARGETS.peakRssBytes)}`,
          measured: mb(memory[fn].peakRssBytes),
          ok: memory[fn].peakRssBytes <= TARGETS.peakRssBytes,
        },
        {
          target: `${fn} heap growth, first → last tenth of ${MEMORY_EVENTS} events ≤ ${mb(TARGETS.heapGrowthBytes)}`,
          measured: mb(memory[fn].heapGrowthBytes),
          ok: memory[fn].heapGrowthBytes <= TARGETS.heapGrowthBytes,
        },
      ]),
      {
        target: 'local relay accepts ≥ 1,000 webhooks/s at concurrency 100, every one 202',
        measured: `${storm.acceptedPerSecond.toFixed(0)}/s (median of 3), ${storm.answered202} of ${storm.events} 202`,
        ok: storm.acceptedPerSecond >= 1000 && storm.answered202 === storm.events,
      },
      {
        target: `storm of ${storm.events}: all visible ≤ ${STORM_VISIBLE_LIMIT_MS / 1000} s, counts conserved, no 429`,
        measured: `${storm.lastVisibleSeconds.toFixed(1)} s, ${storm.eventsShown} shown, ${storm.rateLimited} × 429`,
        ok:
          storm.lastVisibleSeconds * 1000 <= STORM_VISIBLE_LIMIT_MS &&
          storm.eventsShown === storm.events &&
          storm.rateLimited === 0,
      },
      ...faultMixTargets(faultMix),
    ];
    return {
      date: new Date().toISOString(),
      node: process.version,
      machine: `${process.platform}/${process.arch}, ${cpus().length} CPUs`,
      durationSeconds: (performance.now() - started) / 1000,
      bundles: { ...bundles, 'bare ingest': bare.ingest, 'bare notifier': bare.notifier },
      coldStart: {
        runs: options.coldRuns,
        nodeBaselineMs: baseline,
        subjects: Object.fromEntries(names.filter((n) => n !== 'node -e 0').map((n) => [n, coldOf(n)])),
        overheadMs: overhead,
        ratio,
      },
      warmIngest: { real: warmReal, bare: warmBare, ratio: warmRatio },
      memory,
      endToEnd: e2e,
      storm,
      faultMix,
      deployedAccept: DEPLOYED_ACCEPT,
      measuredFunctions: { ingest: measuredIngest, notifier: measuredNotifier },
      cost,
      burstCostPerMillionUsd: burstCost.perMillionEventsUsd,
      memoryChoice,
      unknownAwsOperations: [
        ...new Set([...(ingestMemory.unknownAwsOperations ?? []), ...(notifierMemory.unknownAwsOperations ?? [])]),
      ],
      checks,
    };
  } finally {
    await sink.close();
    rmSync(workDir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The table

function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) => r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  '))
    .join('\n');
}

export function formatReport(r: BenchReport): string {
  const o = r.coldStart.overheadMs;
  const mf = r.measuredFunctions;
  const inputs = (b: Bundle) =>
    b.largestInputs
      .slice(0, 3)
      .map((i) => `${i.path.replace(/^node_modules\//, '')} ${kb(i.bytes)}`)
      .join(', ');
  const rows: string[][] = [
    ['', 'ingest', 'bare ingest', 'notifier', 'bare notifier', 'rotate token'],
    [
      'bundle (minified, SDK external)',
      kb(r.bundles.ingest!.bytes),
      kb(r.bundles['bare ingest']!.bytes),
      kb(r.bundles.notifier!.bytes),
      kb(r.bundles['bare notifier']!.bytes),
      kb(r.bundles.rotateToken!.bytes),
    ],
    [
      'cold start over node -e 0, median',
      ms(o.ingest!.medianMs),
      ms(o['bare ingest']!.medianMs),
      ms(o.notifier!.medianMs),
      ms(o['bare notifier']!.medianMs),
      '—',
    ],
    [
      'cold start over node -e 0, p90',
      ms(o.ingest!.p90Ms),
      ms(o['bare ingest']!.p90Ms),
      ms(o.notifier!.p90Ms),
      ms(o['bare notifier']!.p90Ms),
      '—',
    ],
    [
      'in process: bundle loaded / answered',
      ...(['ingest', 'bare ingest', 'notifier', 'bare notifier'] as const).map(
        (n) =>
          `${ms(r.coldStart.subjects[n]!.loadedAtMedianMs)} / ${ms(r.coldStart.subjects[n]!.firstAnswerAtMedianMs)}`,
      ),
      '—',
    ],
    [
      'cold start vs bare (median)',
      `${r.coldStart.ratio.ingest.toFixed(2)}×`,
      '1.00×',
      `${r.coldStart.ratio.notifier.toFixed(2)}×`,
      '1.00×',
      '—',
    ],
    [
      'warm events/s (one at a time)',
      r.warmIngest.real.eventsPerSecond.toFixed(0),
      r.warmIngest.bare.eventsPerSecond.toFixed(0),
      ((1000 * mf.notifier.recordsPerInvocation) / mf.notifier.cpuMsPerInvocation).toFixed(0),
      '—',
      '—',
    ],
    [
      'warm latency p50 / p99',
      `${ms(r.warmIngest.real.p50Ms)} / ${ms(r.warmIngest.real.p99Ms)}`,
      `${ms(r.warmIngest.bare.p50Ms)} / ${ms(r.warmIngest.bare.p99Ms)}`,
      `${ms(mf.notifier.cpuMsPerInvocation)}/batch of ${mf.notifier.recordsPerInvocation}`,
      '—',
      '—',
    ],
    [
      `peak RSS, ${MEMORY_EVENTS} events, V8 as in ${MEMORY_TARGET_MB} MB`,
      mb(r.memory.ingest.peakRssBytes),
      '—',
      mb(r.memory.notifier.peakRssBytes),
      '—',
      '—',
    ],
    [
      'peak RSS, warm run, V8 as deployed',
      mb(r.warmIngest.real.peakRssBytes),
      mb(r.warmIngest.bare.peakRssBytes),
      '—',
      '—',
      '—',
    ],
    [
      `heap after GC, 1st → 10th ${MEMORY_EVENTS / 10} events`,
      `${mb(r.memory.ingest.heapFirstBytes)} → ${mb(r.memory.ingest.heapLastBytes)}`,
      '—',
      `${mb(r.memory.notifier.heapFirstBytes)} → ${mb(r.memory.notifier.heapLastBytes)}`,
      '—',
      '—',
    ],
    [
      'memory size: construct / chosen',
      `${mf.ingest.memorySizeMb} / ${r.memoryChoice.ingest.memoryMb} MB`,
      '—',
      `${mf.notifier.memorySizeMb} / ${r.memoryChoice.notifier.memoryMb} MB`,
      '—',
      '—',
    ],
    [
      'log bytes per event',
      mf.ingest.logBytesPerInvocation.toFixed(0),
      '—',
      (mf.notifier.logBytesPerInvocation / mf.notifier.recordsPerInvocation).toFixed(0),
      '—',
      '—',
    ],
  ];
  const e = r.endToEnd;
  const lines = [
    `Paubox alert relay benchmark — ${r.date}, Node ${r.node}, ${r.machine}, ${r.durationSeconds.toFixed(0)} s`,
    '',
    table(rows),
    '',
    `largest inputs: ingest: ${inputs(r.bundles.ingest!)}`,
    `                notifier: ${inputs(r.bundles.notifier!)}`,
    `node -e 0: median ${ms(r.coldStart.nodeBaselineMs.medianMs)}, p90 ${ms(r.coldStart.nodeBaselineMs.p90Ms)} over ${r.coldStart.runs} processes per subject`,
    '',
    `local relay end to end (${e.requests} webhooks, concurrency ${e.concurrency}, fake ${e.kind} on 127.0.0.1): ` +
      `POST → alert received p50 ${ms(e.receiptP50Ms)}, p99 ${ms(e.receiptP99Ms)}; POST → 202 p50 ${ms(e.answerP50Ms)}, p99 ${ms(e.answerP99Ms)}; ` +
      `${e.eventsPerSecond.toFixed(0)} events/s; relay peak RSS ${mb(e.relayPeakRssBytes)}, heap after GC ${mb(e.relayHeapAfterBytes)}`,
    `accept: local relay ${r.storm.acceptedPerSecond.toFixed(0)} webhooks/s answered 202 at concurrency ${r.storm.concurrency} ` +
      `(median of ${(r.storm.acceptRuns ?? []).join(', ')}; journal fsync'd before each 202); deployed: ${r.deployedAccept.invocationsPer1000OnAcceptPath} function ` +
      `invocations per 1,000 accepted webhooks on the accept path, then ${r.deployedAccept.consumerInvocationsPer1000InABurst} ` +
      `consumer invocations per 1,000 in a burst (${r.deployedAccept.consumerInvocationsPer1000Trickling} when they trickle)`,
    `storm: ${r.storm.events} webhooks through the local relay to a fake Slack allowing 1 post/s: last visible ` +
      `${r.storm.lastVisibleSeconds.toFixed(1)} s after the first, ${r.storm.posts} posts, ${r.storm.rateLimited} × 429, ` +
      `${r.storm.eventsShown} events shown`,
    ...faultMixLines(r.faultMix),
    '',
    `cost per million webhook events: $${r.cost.perMillionEventsUsd.toFixed(2)} when they trickle in one at a time, ` +
      `$${r.burstCostPerMillionUsd.toFixed(2)} in bursts (ingest batches of ${INGEST_BATCH_SIZE}) ` +
      '(us-east-1 on-demand, prices in bench/cost.ts)',
    table([
      ['', 'quantity', 'price', 'USD'],
      ...r.cost.lines.map((l) => [
        l.item,
        `${formatQuantity(l.quantityPerMillionEvents)} ${l.unit}`,
        l.price,
        l.usd.toFixed(3),
      ]),
    ]),
    `fixed, whatever the volume: $${r.cost.fixedMonthlyUsd.toFixed(2)} a month (${r.cost.fixedLines.map((l) => `${l.item} $${l.usd.toFixed(2)}`).join(', ')})`,
    `assumptions: ${Object.entries(r.cost.assumptions)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ')}; Lambda CPU in proportion to memory (1 vCPU at 1,769 MB)`,
    ...(['ingest', 'notifier'] as const).map(
      (fn) =>
        `memory size for ${fn}: ${r.memoryChoice[fn].memoryMb} MB (modelled cold start ${ms(r.memoryChoice[fn].coldStartMs)}), the ${r.memoryChoice[fn].why}; ` +
        `the construct sets ${mf[fn].memorySizeMb} MB`,
    ),
    ...(r.unknownAwsOperations.length > 0
      ? [`AWS calls answered with an empty success by the stub: ${r.unknownAwsOperations.join(', ')}`]
      : []),
    '',
    'targets:',
    ...r.checks.map((c) => `  ${c.ok ? 'ok  ' : 'MISS'} ${c.target}: ${c.measured}`),
  ];
  return lines.join('\n');
}

function formatQuantity(n: number): string {
  if (n >= 1000) return Math.round(n).toLocaleString('en-US');
  if (n >= 1) return n.toFixed(1);
  return n.toPrecision(2);
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'cold-runs': { type: 'string', default: '25' },
      'warm-events': { type: 'string', default: '5000' },
      'e2e-requests': { type: 'string', default: '2000' },
      'e2e-concurrency': { type: 'string', default: '50' },
      'e2e-kind': { type: 'string', default: 'slack' },
      /** JSON merged into the end-to-end destination of the local relay, e.g. to leave out pacing. */
      'e2e-destination': { type: 'string', default: EVERYDAY_DESTINATION },
      /** JSON merged into the deployed destination whose notifier is measured. */
      destination: {
        type: 'string',
        default: EVERYDAY_DESTINATION,
      },
    },
  });
  const numbers = {
    coldRuns: Number(values['cold-runs']),
    warmEvents: Number(values['warm-events']),
    e2eRequests: Number(values['e2e-requests']),
    e2eConcurrency: Number(values['e2e-concurrency']),
  };
  const kind = values['e2e-kind'];
  const jsonObject = (text: string): Record<string, unknown> | undefined => {
    try {
      const value = JSON.parse(text) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const e2eDestination = jsonObject(values['e2e-destination']);
  const destination = jsonObject(values.destination);
  if (
    !Object.values(numbers).every((n) => Number.isInteger(n) && n > 0) ||
    numbers.coldRuns < 20 ||
    (kind !== 'slack' && kind !== 'teams') ||
    e2eDestination === undefined ||
    destination === undefined
  ) {
    console.error(
      'usage: npm run bench [-- --cold-runs N≥20 --warm-events N --e2e-requests N --e2e-concurrency N --e2e-kind slack|teams ' +
        '--e2e-destination JSON-object --destination JSON-object]',
    );
    return 2;
  }

  let timer: NodeJS.Timeout | undefined;
  let report: BenchReport;
  try {
    report = await Promise.race([
      run({ ...numbers, e2eKind: kind, e2eDestination, destination }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new BenchError(
                `the run took longer than ${TIME_LIMIT_MS / 1000} s. The notifier posts 10,000 alerts to one destination: ` +
                  "if it paces its posts, leave the pacing out with --destination '{…}'",
              ),
            ),
          TIME_LIMIT_MS,
        );
      }),
    ]);
  } catch (error) {
    console.error(`bench did not complete: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    clearTimeout(timer);
  }

  console.log(formatReport(report));
  writeResults('bench', { ...report, prices: PRICES, defaultAssumptions: DEFAULT_ASSUMPTIONS });
  const missed = report.checks.filter((c) => !c.ok);
  if (missed.length > 0) {
    console.error(`FAIL: ${missed.length} target(s) missed: ${missed.map((c) => c.target).join('; ')}`);
    return 1;
  }
  return 0;
}

runBench(main);
