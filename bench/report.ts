import { INGEST_BATCH_SIZE } from '../lib/relay/ingest-endpoint';
import type { BareAccept } from './accept';
import type { Bundle } from './bundles';
import type { ColdStarts } from './cold-start';
import type { CostEstimate, MeasuredFunction, MemoryChoice } from './cost';
import type { EndToEnd } from './end-to-end';
import { MEMORY_EVENTS, type Memory } from './memory';
import { MEMORY_TARGET_MB } from './processes';
import { kb, mb, ms, times } from './stats';
import type { DEPLOYED_ACCEPT, StormFigure } from './storm-figure';
import { faultMixLines, type FaultMixFigure } from './fault-latency';
import type { Check } from './targets';
import type { Warm } from './warm-ingest';

/* What `npm run bench` reports: every figure (written as JSON), and the table it prints. */

export interface BenchReport {
  readonly date: string;
  readonly node: string;
  readonly machine: string;
  readonly durationSeconds: number;
  readonly bundles: Readonly<Record<string, Bundle>>;
  readonly coldStart: ColdStarts;
  readonly warmIngest: { readonly real: Warm; readonly bare: Warm; readonly ratio: number };
  readonly memory: { readonly ingest: Memory; readonly notifier: Memory };
  readonly endToEnd: EndToEnd;
  readonly storm: StormFigure;
  readonly faultMix: FaultMixFigure;
  /** The accept rate's baseline: a bare server that appends and fsyncs each body, in the same run. */
  readonly bareAccept: BareAccept;
  readonly acceptRatio: number;
  /** Cost per million when webhooks come in bursts (full ingest batches) rather than one at a time. */
  readonly burstCostPerMillionUsd: number;
  readonly deployedAccept: typeof DEPLOYED_ACCEPT;
  readonly measuredFunctions: { readonly ingest: MeasuredFunction; readonly notifier: MeasuredFunction };
  readonly cost: CostEstimate;
  readonly memoryChoice: { readonly ingest: MemoryChoice; readonly notifier: MemoryChoice };
  readonly unknownAwsOperations: readonly string[];
  readonly checks: readonly Check[];
}

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
      times(r.coldStart.ratio.ingest),
      '1.00×',
      times(r.coldStart.ratio.notifier),
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
      `(median of ${(r.storm.acceptRuns ?? []).join(', ')}; journal fsync'd before each 202), ${times(r.acceptRatio)} a bare ` +
      `server that appends and fsyncs each body (${r.bareAccept.acceptedPerSecond.toFixed(0)}/s, median of ${r.bareAccept.runs.join(', ')}); ` +
      `deployed: ${r.deployedAccept.invocationsPer1000OnAcceptPath} function ` +
      `invocations per 1,000 accepted webhooks on the accept path, then ${r.deployedAccept.consumerInvocationsPer1000InABurst} ` +
      `consumer invocations per 1,000 in a burst (${r.deployedAccept.consumerInvocationsPer1000Trickling} when they trickle)`,
    `storm: ${r.storm.events} webhooks through the local relay to a fake Slack allowing 1 post/s: last visible ` +
      `${r.storm.lastVisibleSeconds.toFixed(1)} s after the first, ${r.storm.posts} posts, ${r.storm.rateLimited} × 429, ` +
      `${r.storm.eventsShown} events shown`,
    ...faultMixLines(r.faultMix),
    '',
    `cost per million webhook events: $${r.cost.perMillionEventsUsd.toFixed(2)} when they trickle in one at a time, ` +
      `$${r.burstCostPerMillionUsd.toFixed(2)} in bursts (ingest batches of ${INGEST_BATCH_SIZE}) ` +
      '(us-east-1 on-demand, prices in bench/cost/prices.ts)',
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
