/**
 * Bounce-storm benchmark: 10,000 failure webhooks over 60 s against a fake Slack on 127.0.0.1 that accepts one
 * message a second and answers 429 with Retry-After beyond it. In the same run, the same storm goes through the
 * relay with storm control (batching window, digests, pacing) and through a naive relay (no window, one post per
 * event, no pacing: the relay as it was before storm control), each against its own fake Slack.
 *
 * Time is simulated (see bench/simulated-clock.ts): the relays, their retries and the fake Slack's rate limit all
 * run on one simulated clock, which jumps ahead whenever nothing real is under way. Everything else is real: the
 * ingest code, the local relay's queue, notifyBatch, the renderers, @slack/webhook and HTTP on 127.0.0.1.
 *
 *   npm run bench:storm [-- --events 10000 --seconds 60 --window 10]
 *
 * Prints a table and writes it as JSON to bench/results/storm.json. Exits 1 when storm control misses a target
 * (at most one request a second, no 429, every event visible within the window plus 5 s after the storm, none
 * unaccounted for, none shown twice), 2 when the run failed.
 */
import { parseArgs } from 'node:util';
import { DEFAULT_THROTTLING_RATE_LIMIT } from '../lib';
import { runBench, writeResults } from './results';
import { runStorm, type RunResult } from './storm-run';

/** Beyond this much real time, the run is reported as failed. */
const REAL_TIME_LIMIT_MS = 300_000;

function duration(seconds: number): string {
  if (seconds < 120) return `${seconds.toFixed(1)} s`;
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = Math.round(seconds % 60);
  return h > 0 ? `${h} h ${m} min ${s} s` : `${m} min ${s} s`;
}

const n = (value: number): string => value.toLocaleString('en-US');

function table(runs: readonly RunResult[]): string {
  const rows: [string, (r: RunResult) => string][] = [
    ['events routed', (r) => n(r.eventsRouted)],
    ['chat posts', (r) => `${n(r.chatPosts)}${r.digests > 0 ? ` (${n(r.digests)} digests)` : ''}`],
    ['requests to Slack', (r) => n(r.requests)],
    ['most requests in any 1 s', (r) => n(r.maxRequestsPerSecond)],
    ['429s received', (r) => n(r.rateLimited)],
    ['last event visible after storm end', (r) => duration(r.lastVisibleAfterStormSeconds)],
    ['slowest event, webhook to chat', (r) => duration(r.slowestEventSeconds)],
    ['events shown (sum of post counts)', (r) => n(r.eventsShown)],
    ['events dead-lettered', (r) => n(r.deadLettered)],
    ['events not accounted for', (r) => n(r.unaccounted)],
    ['events shown twice', (r) => n(r.shownTwice)],
    ['simulated time / real time', (r) => `${duration(r.simulatedSeconds)} / ${r.realSeconds.toFixed(1)} s`],
  ];
  const headers = runs.map((r) =>
    r.mode === 'storm-control' ? `storm control (window ${r.config.windowSeconds} s)` : 'naive (one post per event)',
  );
  const width = Math.max(...rows.map(([label]) => label.length));
  const columns = runs.map((r, i) => Math.max(headers[i]!.length, ...rows.map(([, value]) => value(r).length)));
  const line = (label: string, cells: string[]) =>
    `${label.padEnd(width)}  ${cells.map((c, i) => c.padStart(columns[i]!)).join('  ')}`;
  return [line('', headers), ...rows.map(([label, value]) => line(label, runs.map(value)))].join('\n');
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '10000' },
      seconds: { type: 'string', default: '60' },
      window: { type: 'string', default: '10' },
    },
  });
  const events = Number(values.events);
  const seconds = Number(values.seconds);
  const windowSeconds = Number(values.window);
  if (
    !Number.isInteger(events) ||
    events < 1 ||
    !(seconds > 0) ||
    !Number.isInteger(windowSeconds) ||
    windowSeconds < 0 ||
    windowSeconds > 300
  ) {
    console.error('usage: bench:storm [--events N] [--seconds S] [--window 0..300]');
    return 2;
  }
  const timer = setTimeout(() => {
    console.error(`bench:storm did not finish within ${REAL_TIME_LIMIT_MS / 1000} s of real time`);
    process.exit(2);
  }, REAL_TIME_LIMIT_MS);

  console.log(
    `bench:storm: ${n(events)} failure webhooks over ${seconds} s (simulated clock), to a fake Slack on 127.0.0.1 ` +
      'that accepts 1 message/s and answers 429 with Retry-After beyond it\n',
  );
  const runs = [
    await runStorm('storm-control', events, seconds, windowSeconds),
    await runStorm('naive', events, seconds, windowSeconds),
  ];
  clearTimeout(timer);
  console.log(table(runs));

  const control = runs[0]!;
  const targets: [string, boolean][] = [
    // Deployed, webhooks beyond the stage's throttle get 429 and are lost (Paubox does not retry).
    [
      `the storm (${Math.ceil(events / seconds)} webhooks/s) fits the API's default throttle (${DEFAULT_THROTTLING_RATE_LIMIT}/s)`,
      events / seconds <= DEFAULT_THROTTLING_RATE_LIMIT,
    ],
    ['at most 1 request to Slack per second', control.maxRequestsPerSecond <= 1],
    ['no 429', control.rateLimited === 0],
    [
      `every event visible within the window + 5 s (${windowSeconds + 5} s) after the storm`,
      control.lastVisibleAfterStormSeconds <= windowSeconds + 5,
    ],
    ['0 events unaccounted for', control.unaccounted === 0],
    [
      'posts add up: events shown = events routed, none twice',
      control.eventsShown === control.eventsRouted && control.shownTwice === 0,
    ],
  ];
  console.log(
    `\ntargets (storm control):\n${targets.map(([what, ok]) => `  ${ok ? 'PASS' : 'FAIL'}  ${what}`).join('\n')}`,
  );

  writeResults('storm', {
    events,
    seconds,
    windowSeconds,
    clock: 'simulated',
    runs,
    targets: Object.fromEntries(targets),
  });
  return targets.every(([, ok]) => ok) ? 0 : 1;
}

runBench(main);
