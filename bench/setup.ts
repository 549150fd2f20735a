import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { MAX_BATCH_SIZE, parseRelayConfig } from '../functions/config';
import { ATTRIBUTE_PREFIX, type QueuedAttributeName } from '../functions/ingest';
import type { LambdaName } from '../lib/bundling';
import { bundleBareHandlers, bundleRelayFunctions, buildProbes, type Bundle } from './bundles';
import type { ChatSink } from './chat-sink';
import { BENCH_REGION, synthesizeDeployment, type DeployedFunction } from './deployment';
import { BenchError, lambdaEnvironment, runProbe, type Probes } from './processes';
import { RESULTS_DIR } from './results';
import { log } from './stats';

/*
 * What every phase of `npm run bench` measures: the functions bundled as the construct bundles them, their settings
 * read from the synthesized template, and the events they are fed.
 */

export const FIXTURES_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'paubox');
const SLACK_URL = 'https://hooks.slack.com/services/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h';

/**
 * The destination settings both the notifier and the end-to-end runs use unless told otherwise: the everyday path,
 * one post per event (no batching window, no digest), with pacing allowed 1,000 posts a second, so that the runs
 * measure the relay rather than Slack's one-a-second limit; the pacer's DynamoDB calls are still made and counted.
 * `npm run bench:storm` measures the storm path (digests and pacing at 1 a second).
 */
export const EVERYDAY_DESTINATION = JSON.stringify({
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

/** A function as the bench runs it: its bundle, its environment, its timeout, and the events it is fed. */
export interface Subject {
  readonly bundle: string;
  readonly env: NodeJS.ProcessEnv;
  readonly timeoutMs: number;
  readonly deployed: DeployedFunction;
}

export interface Setup {
  readonly workDir: string;
  readonly probes: Probes;
  readonly bundles: Readonly<Record<LambdaName, Bundle>>;
  readonly bare: { readonly ingest: Bundle; readonly notifier: Bundle };
  readonly ingest: Subject;
  readonly notifier: Subject;
  readonly batchSize: number;
  /** Ingest events: the fixtures, as queued webhooks, in turn. */
  readonly ingestEvents: string;
  /** Notifier events: what the ingest bundle published for them, one record an invocation. */
  readonly notifierOneRecord: string;
  /** Notifier events: 20 full batches of distinct events. */
  readonly notifierBatches: string;
  /** Removes the work directory. */
  cleanUp(): void;
}

/** Bundles, synthesizes and writes the events; posts to Slack's host go to `sink`. */
export async function prepare(destination: Record<string, unknown>, sink: ChatSink): Promise<Setup> {
  const buildDir = path.join(RESULTS_DIR, 'build');
  rmSync(buildDir, { recursive: true, force: true });
  mkdirSync(buildDir, { recursive: true });
  const workDir = mkdtempSync(path.join(tmpdir(), 'relay-bench-'));
  const cleanUp = () => rmSync(workDir, { recursive: true, force: true });
  try {
    log('bundling the functions as the construct does');
    const [bundles, bare, probes] = await Promise.all([
      bundleRelayFunctions(buildDir),
      bundleBareHandlers(buildDir),
      buildProbes(buildDir),
    ]);
    log("reading the functions' settings from the synthesized template");
    const deployment = synthesizeDeployment(benchConfig(destination), SLACK_URL);
    const shared = {
      BENCH_SECRETS: JSON.stringify(deployment.secretValues),
      BENCH_CHAT_REDIRECT: JSON.stringify({ [new URL(SLACK_URL).hostname]: sink.baseUrl }),
    };
    const subject = (name: 'ingest' | 'notifier'): Subject => {
      const deployed = deployment.functions[name];
      return {
        bundle: bundles[name].file,
        env: { ...lambdaEnvironment(deployed, name), ...shared },
        timeoutMs: deployed.timeoutSeconds * 1000,
        deployed,
      };
    };
    const ingest = subject('ingest');
    const notifier = subject('notifier');
    const batchSize = deployment.functions.notifier.batchSize ?? 10;

    const ingestEvents = path.join(workDir, 'ingest-events.json');
    writeFileSync(ingestEvents, JSON.stringify(fixtures().map((body, i) => queuedEvent(deployment.token, body, i))));
    const capture = path.join(workDir, 'published.jsonl');
    await runProbe(
      probes,
      workDir,
      {
        mode: 'loop',
        bundle: ingest.bundle,
        events: ingestEvents,
        check: 'noBatchFailures',
        timeoutMs: ingest.timeoutMs,
        warmup: 1,
        count: fixtures().length,
      },
      { ...ingest.env, BENCH_CAPTURE_FILE: capture },
    );
    const published = readFileSync(capture, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { message: string }).message);
    if (published.length === 0) throw new BenchError('the ingest bundle published nothing to the stubbed topic');
    const notifierOneRecord = path.join(workDir, 'notifier-one.json');
    writeFileSync(notifierOneRecord, JSON.stringify(published.map((body, i) => sqsEvent([body], i))));
    const notifierBatches = path.join(workDir, 'notifier-batches.json');
    writeFileSync(
      notifierBatches,
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
    return {
      workDir,
      probes,
      bundles,
      bare,
      ingest,
      notifier,
      batchSize,
      ingestEvents,
      notifierOneRecord,
      notifierBatches,
      cleanUp,
    };
  } catch (error) {
    cleanUp();
    throw error;
  }
}

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
