import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ChatKind } from '../functions/chat';
import { startChatSink } from './chat-sink';
import type { RelayProbeReport } from './probe/relay';
import { BenchError, type Probes } from './processes';
import { FIXTURES_DIR } from './setup';
import { median, p99 } from './stats';

/* The local relay end to end: webhooks POSTed to a relay in its own process, alerts received by a fake platform. */

const E2E_TIME_LIMIT_MS = 60_000;

export interface EndToEnd {
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

export async function endToEnd(
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
      receiptP99Ms: p99(receipt),
      answerP50Ms: median(answer),
      answerP99Ms: p99(answer),
      eventsPerSecond: options.requests / ((finished - started) / 1000),
      relayPeakRssBytes: report.maxRssBytes,
      relayHeapAfterBytes: report.heapUsedBytes,
    };
  } finally {
    if (child.exitCode === null) child.kill();
    await sink.close();
  }
}
