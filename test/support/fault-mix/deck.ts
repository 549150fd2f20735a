import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePauboxWebhook } from '../../../functions/paubox';
import { SCENARIO_NAMES, type ScenarioName } from './scenarios';

/* What a fault mix sends: its events, the scenario each platform plays for each, and the repeated webhooks. */

// ---------------------------------------------------------------------------------------------------------------
// Seeded randomness

/** mulberry32: small, fast, and the same sequence everywhere for a seed. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

/**
 * Exactly `count` scenarios in the proportions of the weights (largest remainder; each weighted scenario
 * at least once when count allows), in a seeded random order.
 */
export function scenarioDeck(
  count: number,
  mix: Partial<Record<ScenarioName, number>>,
  random: () => number,
): ScenarioName[] {
  const names = SCENARIO_NAMES.filter((n) => (mix[n] ?? 0) > 0);
  if (names.length === 0) throw new Error('the mix has no scenario with a positive weight');
  const total = names.reduce((sum, n) => sum + mix[n]!, 0);
  const exact = names.map((n) => ({ n, share: (mix[n]! / total) * count }));
  const counts = new Map(exact.map(({ n, share }) => [n, Math.floor(share)]));
  if (count >= names.length) for (const n of names) if (counts.get(n) === 0) counts.set(n, 1);
  let assigned = [...counts.values()].reduce((a, b) => a + b, 0);
  const byRemainder = [...exact].sort((a, b) => (b.share % 1) - (a.share % 1));
  for (let i = 0; assigned < count; i++, assigned++) {
    const { n } = byRemainder[i % byRemainder.length]!;
    counts.set(n, counts.get(n)! + 1);
  }
  while (assigned > count) {
    const [n] = [...counts.entries()].sort((a, b) => b[1] - a[1])[0]!;
    counts.set(n, counts.get(n)! - 1);
    assigned--;
  }
  return shuffle(
    names.flatMap((n) => Array.from({ length: counts.get(n)! }, () => n)),
    random,
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Events and duplicate webhooks

export interface MixEvent {
  readonly index: number;
  readonly body: string;
  readonly key: string;
  readonly type: 'permanent_failure' | 'temporary_failure';
}

const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'paubox');

/** `count` distinct Paubox failure webhooks (alternately permanent and temporary), each with its relay key. */
export function buildEvents(count: number, seed: number): MixEvent[] {
  const templates = (['permanent_failure', 'temporary_failure'] as const).map((type) => ({
    type,
    json: JSON.parse(readFileSync(join(FIXTURES, `${type}.json`), 'utf8')) as { payload: Record<string, unknown> },
  }));
  const seedHex = (seed >>> 0).toString(16).padStart(8, '0');
  return Array.from({ length: count }, (_, index) => {
    const { type, json } = templates[index % 2]!;
    const serial = index.toString(16).padStart(12, '0');
    const body = JSON.stringify({
      ...json,
      payload: {
        ...json.payload,
        id: 7_400_000_000 + index,
        source_tracking_id: `${seedHex}-f417-4abc-8def-${serial}`,
        header_message_id: `<fault-${seedHex}-${serial}@mail.clinic.example.com>`,
      },
    });
    const parsed = parsePauboxWebhook(JSON.parse(body));
    if (parsed.kind !== 'event') throw new Error(`event ${index} was ignored`);
    return { index, body, key: parsed.event.key, type };
  });
}

/**
 * When a repeated webhook is sent: at the same moment as the original, at the end of the stream
 * (usually while the original is still being retried), or once everything has settled.
 */
export type DuplicateTiming = 'concurrent' | 'later' | 'after_idle';

/** Which events are sent again, and when; about `rate` of them, a quarter of those twice. */
export function duplicatePlan(
  events: readonly MixEvent[],
  rate: number,
  random: () => number,
): Map<number, DuplicateTiming[]> {
  const chosen = shuffle(
    events.map((e) => e.index),
    random,
  ).slice(0, Math.round(events.length * rate));
  const patterns: DuplicateTiming[][] = [['concurrent'], ['later'], ['after_idle'], ['concurrent', 'after_idle']];
  return new Map(chosen.map((index, i) => [index, patterns[i % patterns.length]!]));
}
