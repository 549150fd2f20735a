/**
 * The *fault mix* figure of `npm run bench`: 300 failure webhooks, accepted within 1.3 s, to one Slack destination
 * whose fake answers a seeded mix of faults (fault-slack.ts), through the local relay and through the deployed
 * notifier's simulation (notifier-simulation.ts), each with the production retry policy, send timeout and
 * maxReceiveCount. Time is simulated (simulated-clock.ts); the ingest, routing, queueing, notifyBatch and retry
 * code is the relay's own. Figures: how soon the alerts that met no fault were visible after their webhook (p50,
 * max), when all 300 were settled, and whether any was lost or shown twice; the dead letters must be the mix's.
 */
import { DEFAULT_SEND_TIMEOUT_MS } from '../functions/chat';
import { checkDestinationUrl } from '../functions/chat';
import { MAX_BATCH_SIZE } from '../functions/config';
import { parseRelayConfig } from '../functions/config';
import type { DeadLetter } from '../functions/delivery';
import { MemoryDedupStore } from '../functions/delivery';
import { MemoryPacer } from '../functions/delivery';
import { DEFAULT_RETRY_POLICY } from '../functions/delivery';
import type { EventPublisher } from '../functions/ingest';
import { handleWebhook } from '../functions/ingest';
import { LocalFanout } from '../functions/local';
import { silentLogger } from '../functions/observability';
import { filterPolicyFor } from '../functions/routing';
import { seededRandom } from '../test/support/fault-mix';
import { DOOMED, faultSlack, planMix, TRIES, type FaultPlanOfMix } from './fault-slack';
import { NotifierSimulation } from './notifier-simulation';
import { percentile } from './probe/protocol';
import { SimulatedClock } from './simulated-clock';

export const FAULT_MIX_SEED = 20261207;
export const FAULT_MIX_EVENTS = 300;
/** The webhooks all arrive within this long. */
const ARRIVAL_MS = 1300;
/** Targets: the alerts that met no fault are visible this soon after their webhook. */
export const FAULT_FREE_TARGETS = { p50Ms: 2_000, maxMs: 10_000 } as const;
/**
 * The destination's rate: high enough that the run measures the relay's handling of faults, not Slack's
 * one-a-second limit (which `bench:storm` measures); every post still waits for its slot, and a 429 pauses them all.
 */
const MESSAGES_PER_SECOND = 100;
const START = Date.parse('2026-12-07T14:00:00Z');
const TOKEN = 'fault-mix-bench-token';
const ROUTES = [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops'] }];

export interface FaultRun {
  readonly relay: 'local relay' | 'deployed notifier (simulated)';
  /** Webhook to first visible, in ms, of each alert that met no fault, sorted. */
  readonly faultFreeVisibleMs: readonly number[];
  readonly faultFreeP50Ms: number;
  readonly faultFreeMaxMs: number;
  /** From the first webhook until every event was posted or dead-lettered. */
  readonly settledAfterMs: number;
  readonly settled: number;
  readonly lost: number;
  readonly duplicated: number;
  readonly deadLettered: number;
  /** Dead letters of events the mix does not doom: must be none. */
  readonly wrongDeadLetters: number;
  /** Events the mix dooms that a digest showed: a digest is answered by its own key (fault-slack.ts). */
  readonly doomedShown: number;
  readonly requests: number;
  readonly realMs: number;
}

export interface FaultMixFigure {
  readonly seed: number;
  readonly events: number;
  /** Events the mix dooms: every try of them alone fails; each ends a dead letter, or shown in a digest. */
  readonly doomed: number;
  readonly runs: readonly FaultRun[];
}

/** Both relays on the same mix. */
export async function faultMixFigure(seed = FAULT_MIX_SEED, count = FAULT_MIX_EVENTS): Promise<FaultMixFigure> {
  const mix = planMix(count, seed);
  const doomed = [...mix.scenarioOf.values()].filter((s) => DOOMED.has(s)).length;
  const runs = [await runRelay('local relay', mix, seed), await runRelay('deployed notifier (simulated)', mix, seed)];
  return { seed, events: count, doomed, runs };
}

async function runRelay(relay: FaultRun['relay'], mix: FaultPlanOfMix, seed: number): Promise<FaultRun> {
  const realStart = Date.now();
  const clock = new SimulatedClock(START);
  const slack = faultSlack(clock, mix, DEFAULT_SEND_TIMEOUT_MS);
  const dedup = new MemoryDedupStore(() => clock.now());
  const pacer = new MemoryPacer(() => clock.now());
  const random = seededRandom(seed + 1);
  let publisher: EventPublisher;
  let drain: (publishing: Promise<unknown>) => Promise<void>;
  let letters: () => readonly DeadLetter[];
  if (relay === 'local relay') {
    const config = parseRelayConfig(
      {
        destinations: [{ name: 'ops', kind: 'slack', url: 'https://hooks.slack.com/services/T0/B0/x', digest: {} }],
        routes: ROUTES,
      },
      'local',
      checkDestinationUrl,
    );
    const kept: DeadLetter[] = [];
    const fanout = new LocalFanout({
      destinations: [
        {
          name: 'ops',
          detail: 'minimal',
          policy: filterPolicyFor('ops', config.routes)!,
          sender: slack.sender,
          // The local relay's own batching (no window; a batch takes every visible record), one post per event
          // while the relay keeps up: only a backlog is digested.
          digest: { ...config.destinations[0]!.digest, minGroupSize: MAX_BATCH_SIZE },
          messagesPerSecond: MESSAGES_PER_SECOND,
        },
      ],
      fingerprintKey: 'bench-fingerprint-key',
      logger: silentLogger,
      dedup,
      deadLetters: { put: async (letter) => void kept.push(letter) },
      // The local relay's defaults (relay-server.ts).
      retryPolicy: DEFAULT_RETRY_POLICY,
      sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
      maxReceiveCount: TRIES,
      redeliveryDelayMs: 1000,
      invocationBudgetMs: 30_000,
      clock,
      pacer,
      random,
    });
    publisher = fanout;
    drain = async (publishing) => {
      await clock.run(publishing);
      await clock.run(fanout.idle());
    };
    letters = () => kept;
  } else {
    const deployed = new NotifierSimulation({
      clock,
      sender: slack.sender,
      dedup,
      pacer,
      messagesPerSecond: MESSAGES_PER_SECOND,
      sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
      maxReceiveCount: TRIES,
      random,
    });
    publisher = { publish: async (event) => deployed.send(JSON.stringify(event)) };
    drain = (publishing) => clock.run(deployed.run(publishing));
    letters = () => [
      ...deployed.letters,
      ...deployed.redriven.map((body) => ({ eventKey: JSON.parse(body).key }) as DeadLetter),
    ];
  }

  // The webhooks, evenly over ARRIVAL_MS, through the real ingest code.
  const acceptedAt = new Map<string, number>();
  const spacing = ARRIVAL_MS / mix.events.length;
  const publishing = (async () => {
    for (const [i, event] of mix.events.entries()) {
      const due = START + Math.round(i * spacing);
      if (due > clock.now()) await clock.sleep(due - clock.now());
      const response = await handleWebhook(
        { token: TOKEN, body: event.body, receivedAt: new Date(clock.now()) },
        { expectedTokens: async () => [TOKEN], publisher, logger: silentLogger },
      );
      if (response.statusCode !== 202) throw new Error(`webhook ${i} answered ${response.statusCode}`);
      acceptedAt.set(event.key, clock.now());
    }
  })();
  await drain(publishing);

  const dead = new Map<string, number>();
  for (const letter of letters()) dead.set(letter.eventKey, (dead.get(letter.eventKey) ?? 0) + 1);
  let lost = 0;
  let duplicated = 0;
  let wrongDeadLetters = 0;
  let doomedShown = 0;
  let settledAt = START;
  const visible: number[] = [];
  for (const event of mix.events) {
    const shown = slack.shown.get(event.key) ?? [];
    const letterCount = dead.get(event.key) ?? 0;
    if (shown.length === 0 && letterCount === 0) lost++;
    if (shown.length + letterCount > 1) duplicated++;
    const isDoomed = DOOMED.has(mix.scenarioOf.get(event.key)!);
    if (letterCount > 0 && !isDoomed) wrongDeadLetters++;
    if (shown.length > 0 && isDoomed) doomedShown++;
    if (shown.length > 0) settledAt = Math.max(settledAt, shown[0]!);
    if (mix.scenarioOf.get(event.key) === 'ok' && shown.length > 0)
      visible.push(shown[0]! - acceptedAt.get(event.key)!);
  }
  const lastLetter = letters().reduce((at, l) => Math.max(at, Date.parse(l.failedAt ?? '') || 0), 0);
  visible.sort((a, b) => a - b);
  return {
    relay,
    faultFreeVisibleMs: visible,
    faultFreeP50Ms: percentile(visible, 50),
    faultFreeMaxMs: visible[visible.length - 1] ?? 0,
    settledAfterMs: Math.max(settledAt, lastLetter) - START,
    settled: mix.events.length - lost,
    lost,
    duplicated,
    deadLettered: dead.size,
    wrongDeadLetters,
    doomedShown,
    requests: slack.requests(),
    realMs: Date.now() - realStart,
  };
}

/** The figure's checks: each says what it holds to, and whether it did. */
export function faultMixTargets(figure: FaultMixFigure): { target: string; measured: string; ok: boolean }[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return figure.runs.flatMap((run) => [
    {
      target: `${run.relay}: fault-free alerts visible p50 ≤ ${s(FAULT_FREE_TARGETS.p50Ms)}, max ≤ ${s(FAULT_FREE_TARGETS.maxMs)}`,
      measured: `p50 ${s(run.faultFreeP50Ms)}, max ${s(run.faultFreeMaxMs)} (${run.faultFreeVisibleMs.length} alerts)`,
      ok: run.faultFreeP50Ms <= FAULT_FREE_TARGETS.p50Ms && run.faultFreeMaxMs <= FAULT_FREE_TARGETS.maxMs,
    },
    {
      target:
        `${run.relay}: all ${figure.events} settled, 0 lost, 0 duplicated; the ${figure.doomed} doomed events dead ` +
        'letters or shown in digests, no other dead letter',
      measured:
        `${run.settled} settled in ${s(run.settledAfterMs)}, ${run.lost} lost, ${run.duplicated} duplicated, ` +
        `${run.deadLettered} dead letters (${run.wrongDeadLetters} of events not doomed), ` +
        `${run.doomedShown} doomed events shown in digests`,
      ok:
        run.settled === figure.events &&
        run.lost === 0 &&
        run.duplicated === 0 &&
        run.wrongDeadLetters === 0 &&
        run.deadLettered + run.doomedShown === figure.doomed,
    },
  ]);
}

/** The figure's lines in the bench's report. */
export function faultMixLines(figure: FaultMixFigure): string[] {
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  return [
    `fault mix: seed ${figure.seed}, ${figure.events} webhooks in ${ARRIVAL_MS / 1000} s to a fake Slack answering a ` +
      `seeded mix of faults (simulated clock), ${figure.doomed} doomed:`,
    ...figure.runs.map(
      (r) =>
        `  ${r.relay}: fault-free alerts visible p50 ${s(r.faultFreeP50Ms)}, max ${s(r.faultFreeMaxMs)} after their ` +
        `webhook; ${r.settled} settled in ${s(r.settledAfterMs)}; ${r.lost} lost, ${r.duplicated} duplicated, ` +
        `${r.deadLettered} dead letters, ${r.doomedShown} doomed shown in digests; ${r.requests} requests to Slack`,
    ),
  ];
}
