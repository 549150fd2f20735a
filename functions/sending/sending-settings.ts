import {
  DEFAULT_ADVICE_CONFIG,
  DEFAULT_HEALTH_CONFIG,
  DEFAULT_RATES_CONFIG,
  durationMs,
  type RelayConfig,
} from '../config';
import type { AdviceSettings } from './advice';
import type { RateSettings } from './rate-check';

/** `rates.to`, else every destination a route sends permanent failures to, in configuration order. */
export function rateTargets(config: RelayConfig): string[] {
  const to = config.rates?.to;
  if (to) return [...to];
  const named = new Set(config.routes.filter((r) => r.events.includes('permanent_failure')).flatMap((r) => r.to));
  return config.destinations.map((d) => d.name).filter((name) => named.has(name));
}

/** The settings a rate check needs, from `rates` and `health.reminderHours`. */
export function rateSettings(config: RelayConfig): RateSettings {
  const rates = config.rates ?? DEFAULT_RATES_CONFIG;
  const health = config.health ?? DEFAULT_HEALTH_CONFIG;
  return {
    windowMs: durationMs(rates.window) ?? 86_400_000,
    minVolume: rates.minVolume,
    warnAt: rates.warnAt,
    alertAt: rates.alertAt,
    reminderMs: health.reminderHours * 3_600_000,
  };
}

/** `advice` in milliseconds. */
export function adviceSettings(config: RelayConfig): AdviceSettings {
  const advice = config.advice ?? DEFAULT_ADVICE_CONFIG;
  return { hardBounces: advice.hardBounces, windowMs: durationMs(advice.window) ?? 30 * 86_400_000 };
}

/** The advice window as the alert says it, in whole days (at least 1). */
export const windowDaysOf = (settings: AdviceSettings): number =>
  Math.max(1, Math.round(settings.windowMs / 86_400_000));

const percent = (share: number): string => `${Math.round(share * 1000) / 10} %`;

/**
 * One line saying what bounce-rate alerts watch and who hears of them, with what they need: Paubox's Delivered
 * webhook (the rate divides by delivered messages). Printed at start-up and by `validate-config`.
 */
export function ratesLine(config: RelayConfig): string {
  const rates = config.rates ?? DEFAULT_RATES_CONFIG;
  const to = rateTargets(config);
  const who =
    to.length > 0 ? `to ${to.join(', ')}` : 'to no destination (no route takes permanent failures; set rates.to)';
  return (
    `Bounce-rate alerts: per sender domain over ${rates.window}, warning at ${percent(rates.warnAt)}, alert at ` +
    `${percent(rates.alertAt)}, from ${rates.minVolume} messages, ${who}. They need Paubox's "Delivered" webhook: ` +
    'add it in the Paubox dashboard with the same URL.'
  );
}
