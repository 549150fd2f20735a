import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeadLetter } from '../../../functions/delivery';
import { FileDeadLetterStore } from '../../../functions/delivery';
import type { Logger } from '../../../functions/observability';
import type { Platform } from '../fault-chat-server';
import { accountDestination, bump, totalsOf, type FaultMixReport, type Observed } from './account';
import { buildEvents, duplicatePlan, scenarioDeck, seededRandom, type DuplicateTiming, type MixEvent } from './deck';
import { DEFAULT_MIX, FAST_SETTINGS, scenarios, type FaultMixSettings, type ScenarioName } from './scenarios';
import { DESTINATIONS, startStage } from './stage';

/* The run of a fault mix: plan it, send the webhooks in two waves against the stage, then account for them. */

export interface FaultMixOptions {
  readonly events: number;
  readonly seed: number;
  /** Share of events whose webhook is sent more than once. @default 0.1 */
  readonly duplicateRate?: number;
  /** Webhooks in flight at once. @default 20 */
  readonly concurrency?: number;
  readonly settings?: FaultMixSettings;
  /** Scenario weights; the same mix for both platforms (each shuffled on its own). @default DEFAULT_MIX */
  readonly mix?: Partial<Record<ScenarioName, number>>;
  /** The whole run must end within this time, else it fails. @default 120000 */
  readonly timeLimitMs?: number;
  readonly logger?: Logger;
}

async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function within<T>(promise: Promise<T>, deadline: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${what} did not happen within the time limit`)),
      Math.max(0, deadline - Date.now()),
    );
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** The events, the scenario each platform plays for each, and which webhooks are sent again. */
function planMix(options: FaultMixOptions, settings: FaultMixSettings) {
  const random = seededRandom(options.seed);
  const events = buildEvents(options.events, options.seed);
  const duplicates = duplicatePlan(events, options.duplicateRate ?? 0.1, random);
  const assigned = new Map<Platform, Map<string, ScenarioName>>();
  for (const { platform } of DESTINATIONS) {
    const deck = scenarioDeck(events.length, options.mix ?? DEFAULT_MIX, random);
    assigned.set(platform, new Map(events.map((e, i) => [e.key, deck[i]!])));
  }
  const scenarioOf = (platform: Platform, key: string): ScenarioName | undefined => assigned.get(platform)!.get(key);
  // Alerts show keys shortened; the fake platforms tell events apart by what is shown.
  const fullKeys = new Map(events.map((e) => [e.key.slice(0, 12), e.key]));
  return { table: scenarios(settings), events, duplicates, scenarioOf, fullKeys };
}

interface Sent {
  /** Webhooks the relay accepted, per event key. */
  readonly accepted: Map<string, number>;
  /** Status of every webhook POST to the relay. */
  readonly webhookStatuses: Record<string, number>;
  duplicateWebhooksSent: number;
}

/**
 * Wave 1: every event once (some with a repeat at the same moment), then the "later" repeats; once the relay is
 * idle, wave 2: repeats of events that have settled (posted or dead-lettered).
 */
async function sendWaves(
  relay: { readonly webhookUrl: string; idle(): Promise<void> },
  events: readonly MixEvent[],
  duplicates: ReadonlyMap<number, DuplicateTiming[]>,
  options: FaultMixOptions,
  deadline: number,
  problems: string[],
): Promise<Sent> {
  const sent: Sent = { accepted: new Map(), webhookStatuses: {}, duplicateWebhooksSent: 0 };
  const postWebhook = async (event: MixEvent): Promise<void> => {
    let status = 'network_error';
    try {
      const response = await fetch(relay.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: event.body,
      });
      status = String(response.status);
      const reply = (await response.json()) as { id?: string };
      if (response.status === 202 && reply.id === event.key)
        sent.accepted.set(event.key, (sent.accepted.get(event.key) ?? 0) + 1);
      else problems.push(`webhook of event ${event.index} answered ${response.status} ${JSON.stringify(reply)}`);
    } catch (error) {
      problems.push(
        `webhook of event ${event.index} failed: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    bump(sent.webhookStatuses, status);
  };
  const repeats = (event: MixEvent, timing: DuplicateTiming): MixEvent[] =>
    (duplicates.get(event.index) ?? []).filter((t) => t === timing).map(() => event);
  const concurrency = options.concurrency ?? 20;

  const wave1: MixEvent[][] = [
    ...events.map((e) => [e, ...repeats(e, 'concurrent')]),
    ...events.flatMap((e) => repeats(e, 'later')).map((e) => [e]),
  ];
  await within(
    inPool(wave1, concurrency, (group) => Promise.all(group.map(postWebhook)).then(() => undefined)),
    deadline,
    'sending the webhooks',
  );
  await within(relay.idle(), deadline, 'the relay becoming idle');
  const wave2 = events.flatMap((e) => repeats(e, 'after_idle'));
  await within(inPool(wave2, concurrency, postWebhook), deadline, 'sending the repeated webhooks');
  await within(relay.idle(), deadline, 'the relay becoming idle after the repeats');
  sent.duplicateWebhooksSent = wave1.reduce((n, group) => n + group.length, 0) - events.length + wave2.length;
  return sent;
}

/**
 * Starts two fault servers (Slack, Teams) and the local relay routing both failure types to both, sends the
 * events (and their repeats) with bounded concurrency, waits until the relay is idle, and accounts for every
 * (destination, event). Everything listens on 127.0.0.1 and is closed before returning.
 */
export async function runFaultMix(options: FaultMixOptions): Promise<FaultMixReport> {
  const started = Date.now();
  const deadline = started + (options.timeLimitMs ?? 120_000);
  const settings = options.settings ?? FAST_SETTINGS;
  const { table, events, duplicates, scenarioOf, fullKeys } = planMix(options, settings);
  const problems: string[] = [];
  const dataDir = mkdtempSync(join(tmpdir(), 'fault-mix-'));
  const deadLetters = new FileDeadLetterStore(dataDir);
  try {
    const stage = await startStage({
      seed: options.seed,
      settings,
      dataDir,
      deadLetters,
      problems,
      logger: options.logger,
      resolveKey: (shown) => fullKeys.get(shown),
      fault: (platform, key, attempt) => {
        const name = scenarioOf(platform, key);
        if (name === undefined) return 'ok';
        const scenario = table[name];
        return scenario.faults[attempt - 1] ?? scenario.afterwards;
      },
    });
    let sent: Sent;
    const letters = new Map<string, DeadLetter[]>();
    try {
      sent = await sendWaves(stage.relay, events, duplicates, options, deadline, problems);
      for (const { name } of DESTINATIONS) {
        for (const letter of await deadLetters.list(name)) {
          const id = `${name}#${letter.eventKey}`;
          letters.set(id, [...(letters.get(id) ?? []), letter]);
        }
      }
    } finally {
      await stage.close();
    }

    const observed: Observed = { settings, table, events, scenarioOf, accepted: sent.accepted, letters, problems };
    const destinations = DESTINATIONS.map(({ name, platform }) =>
      accountDestination(observed, name, platform, stage.servers.get(platform)!, stage.metrics.get(name)!),
    );
    return {
      seed: options.seed,
      settings,
      eventsSent: events.length,
      duplicateWebhooksSent: sent.duplicateWebhooksSent,
      webhookStatuses: sent.webhookStatuses,
      durationMs: Date.now() - started,
      destinations,
      totals: totalsOf(destinations),
      problems,
    };
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}
