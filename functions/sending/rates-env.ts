import type { RateSettings } from './rate-check';

/**
 * The contract between the construct and the ingest consumer for bounce rates: one definition both sides import.
 * Without these variables the consumer counts nothing (a relay with no destination to tell).
 */
export const RATES_ENV = {
  /** The relay's table, where counters and alert states live. */
  table: 'RATE_TABLE_NAME',
  /** {@link RateSettings} as JSON. */
  settings: 'RATE_SETTINGS',
  /** `{ "<destination>": "<queue URL>" }` of `rates.to`, as JSON. */
  queues: 'RATE_QUEUES',
  /** On the notifiers of `rates.to` with `rates.inhibit`: `true` folds a firing domain's failures into digests. */
  inhibit: 'RATE_INHIBIT',
} as const;

export interface RatesEnvironment {
  readonly table: string;
  readonly settings: RateSettings;
  readonly queues: Readonly<Record<string, string>>;
}

export function ratesEnvironment(value: RatesEnvironment): Record<string, string> {
  return {
    [RATES_ENV.table]: value.table,
    [RATES_ENV.settings]: JSON.stringify(value.settings),
    [RATES_ENV.queues]: JSON.stringify(value.queues),
  };
}

/** The variables as set by {@link ratesEnvironment}, or undefined when the relay counts no rates. */
export function readRatesEnvironment(env: NodeJS.ProcessEnv): RatesEnvironment | undefined {
  const table = env[RATES_ENV.table];
  const settings = env[RATES_ENV.settings];
  const queues = env[RATES_ENV.queues];
  if (!table || !settings || !queues) return undefined;
  return {
    table,
    settings: JSON.parse(settings) as RateSettings,
    queues: JSON.parse(queues) as Record<string, string>,
  };
}

/** The contract between the construct and the scheduled probe, which queues the end messages of silences. */
export const SILENCES_ENV = {
  /** The relay's table, where silences live. */
  table: 'SILENCE_TABLE_NAME',
} as const;
