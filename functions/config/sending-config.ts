import * as z from 'zod/mini';

/**
 * The configuration of alerts about a sender rather than one message: bounce-rate alerts per sender domain (`rates`)
 * and repeat-bounce advice (`advice`). Validated here and wired into `parseRelayConfig`.
 */

/** Bounce-rate alerts per sender domain (docs/alerts.md). */
export interface RatesConfig {
  /**
   * The sliding window the rate is measured over, as `<n>h` or `<n>d` (1 hour to 7 days). It is counted in 24
   * buckets: an event leaves the window between 23/24 of it and all of it after it arrived.
   * @default '24h'
   */
  readonly window: string;
  /**
   * No alert before the window holds at least this many delivered and hard-bounced messages of the domain.
   * @default 50
   */
  readonly minVolume: number;
  /**
   * A warning when hard bounces over (delivered + hard bounces) reach this share; under it again, the alert is
   * resolved.
   * @default 0.02
   */
  readonly warnAt: number;
  /**
   * An alert (red) from this share on.
   * @default 0.05
   */
  readonly alertAt: number;
  /**
   * The destinations that receive bounce-rate alerts.
   * @default the destinations that receive permanent failures
   */
  readonly to?: readonly string[];
  /**
   * While a rate alert fires for a sender domain, that domain's lone failure alerts to the destinations that got
   * the rate alert are folded into digests (counts kept, nothing dropped).
   * @default true
   */
  readonly inhibit: boolean;
}

/** Repeat-bounce advice: when to tell the reader to stop sending to one recipient. */
export interface AdviceConfig {
  /**
   * Hard bounces of one recipient (by fingerprint) within `window` that make the alert advise to stop sending.
   * @default 3
   */
  readonly hardBounces: number;
  /**
   * How far back hard bounces count, as `<n>d` or `<n>h` (1 hour to 365 days).
   * @default '30d'
   */
  readonly window: string;
}

export const DEFAULT_RATES_CONFIG: RatesConfig = {
  window: '24h',
  minVolume: 50,
  warnAt: 0.02,
  alertAt: 0.05,
  inhibit: true,
};

export const DEFAULT_ADVICE_CONFIG: AdviceConfig = { hardBounces: 3, window: '30d' };

const DURATION = /^([1-9]\d{0,4})([mhd])$/;
const UNIT_MS: Readonly<Record<string, number>> = { m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `24h` → 86,400,000; undefined when the text is not `<n>m`, `<n>h` or `<n>d`. */
export function durationMs(text: string): number | undefined {
  const match = DURATION.exec(text);
  return match ? Number(match[1]) * UNIT_MS[match[2]!]! : undefined;
}

/** The schema fields added to the relay configuration's top level. */
export const sendingConfigShape = {
  rates: z.optional(
    z.strictObject({
      window: z.optional(z.string()),
      minVolume: z.optional(z.int().check(z.minimum(1), z.maximum(1_000_000))),
      warnAt: z.optional(z.number().check(z.gt(0), z.lt(1))),
      alertAt: z.optional(z.number().check(z.gt(0), z.lt(1))),
      to: z.optional(z.array(z.string()).check(z.minLength(1))),
      inhibit: z.optional(z.boolean()),
    }),
  ),
  advice: z.optional(
    z.strictObject({
      hardBounces: z.optional(z.int().check(z.minimum(2), z.maximum(100))),
      window: z.optional(z.string()),
    }),
  ),
};

type RawRates = Partial<Omit<RatesConfig, 'to'>> & { to?: string[] };

function checkWindow(text: string, where: string, minMs: number, maxMs: number, problems: string[]): void {
  const ms = durationMs(text);
  if (ms === undefined || ms < minMs || ms > maxMs) {
    problems.push(
      `${where}: expected a duration such as "24h" or "30d", from ${minMs / 3_600_000} h to ${maxMs / 86_400_000} days`,
    );
  }
}

/** Resolves `rates` and `advice`; each problem is pushed onto `problems` with its path and what to write. */
export function resolveSendingConfig(
  raw: { rates?: RawRates; advice?: Partial<AdviceConfig> } | undefined,
  names: ReadonlySet<string>,
  problems: string[],
): { rates: RatesConfig; advice: AdviceConfig } {
  const rates: RatesConfig = { ...DEFAULT_RATES_CONFIG, ...raw?.rates };
  const advice: AdviceConfig = { ...DEFAULT_ADVICE_CONFIG, ...raw?.advice };
  checkWindow(rates.window, 'rates.window', 3_600_000, 7 * 86_400_000, problems);
  checkWindow(advice.window, 'advice.window', 3_600_000, 365 * 86_400_000, problems);
  if (rates.alertAt < rates.warnAt) {
    problems.push(
      `rates.alertAt: must be at least rates.warnAt (${rates.warnAt}); e.g. "warnAt": 0.02, "alertAt": 0.05`,
    );
  }
  (rates.to ?? []).forEach((target, i) => {
    if (!names.has(target)) {
      problems.push(`rates.to[${i}]: no destination is named "${target}" (defined: ${[...names].join(', ')})`);
    }
  });
  return { rates, advice };
}
