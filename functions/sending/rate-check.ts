import { type DomainCount, type RateLevel, type RateNotice, type RateState, sendingKey } from '../alerts';
import type { RateAlertState } from './rate-store';
import { bounceRate, type RateCounts } from './rate-window';

/** The resolved `rates` settings a check needs, with `health.reminderHours` in milliseconds. */
export interface RateSettings {
  readonly windowMs: number;
  readonly minVolume: number;
  readonly warnAt: number;
  readonly alertAt: number;
  readonly reminderMs: number;
}

export interface RateDecision {
  /** What to post, if anything. */
  readonly notice?: { readonly state: RateState; readonly level: RateLevel; readonly reminder?: number };
  /** The alert state to save when a notice is posted. */
  readonly next?: RateAlertState;
  /** Failures without a single delivered event: the rate cannot be measured (Paubox's Delivered webhook is off). */
  readonly needsDelivered: boolean;
}

function levelOf(rate: number, settings: RateSettings): RateLevel | undefined {
  if (rate >= settings.alertAt) return 'alert';
  return rate >= settings.warnAt ? 'warning' : undefined;
}

/**
 * Decides, from a domain's counts in the window and its firing alert, what to post: a first notice when the rate
 * reaches `warnAt` (or `alertAt`) with at least `minVolume` messages, another when a warning becomes an alert, a
 * reminder at most every `reminderMs` while it stays up and no one acknowledged it, and a resolved notice once under `warnAt`. Nothing is
 * decided without a delivered event in the window: with none, every message would look bounced.
 */
export function decideRate(
  counts: RateCounts,
  alert: RateAlertState | undefined,
  settings: RateSettings,
  nowMs: number,
): RateDecision {
  const rate = bounceRate(counts);
  const total = counts.delivered + counts.hard;
  const needsDelivered = counts.delivered === 0 && counts.hard > 0;
  const level = needsDelivered ? undefined : levelOf(rate, settings);
  const enough = total >= settings.minVolume;
  const posted = { lastNoticeAt: nowMs, lastRate: rate };
  if (!alert) {
    if (!level || !enough) return { needsDelivered };
    return {
      notice: { state: 'problem', level },
      next: { level, since: nowMs, reminders: 0, ...posted },
      needsDelivered,
    };
  }
  if (!level) return { notice: { state: 'resolved', level: alert.level }, needsDelivered };
  if (level === 'alert' && alert.level === 'warning' && enough) {
    const { acknowledged: _, ...unacknowledged } = alert;
    return { notice: { state: 'problem', level }, next: { ...unacknowledged, level, ...posted }, needsDelivered };
  }
  // Acknowledged: a person is on it, so no reminder until it resolves (or becomes an alert, above).
  if (nowMs - alert.lastNoticeAt >= settings.reminderMs && !alert.acknowledged) {
    const reminder = alert.reminders + 1;
    return {
      notice: { state: 'reminder', level, reminder },
      next: { ...alert, level, reminders: reminder, ...posted },
      needsDelivered,
    };
  }
  return { needsDelivered };
}

const TOP_DOMAINS = 5;

/** The recipient domains with the most hard bounces, most first (ties by name, so notices are stable). */
export function topDomains(counts: RateCounts): DomainCount[] {
  return Object.entries(counts.hardByRecipientDomain)
    .map(([domain, count]) => ({ domain, count }))
    .sort((a, b) => b.count - a.count || a.domain.localeCompare(b.domain))
    .slice(0, TOP_DOMAINS);
}

/** The notice a decision posts; its key is the same whoever decides it, so a notice queued twice is posted once. */
export function rateNotice(
  senderDomain: string,
  decision: Required<Pick<RateDecision, 'notice'>>,
  alert: RateAlertState | undefined,
  counts: RateCounts,
  settings: RateSettings,
  nowMs: number,
): RateNotice {
  const { state, level, reminder } = decision.notice;
  const since = alert ? alert.since : nowMs;
  const occurrence = state === 'problem' ? level : state === 'reminder' ? (reminder ?? 0) : 'resolved';
  return {
    sending: 'rate',
    key: sendingKey('rate', senderDomain, alert?.since ?? nowMs, occurrence),
    state,
    level,
    senderDomain,
    hard: counts.hard,
    total: counts.delivered + counts.hard,
    soft: counts.soft,
    windowHours: Math.round(settings.windowMs / 3_600_000),
    ...(alert ? { previousRate: alert.lastRate } : {}),
    ...(reminder !== undefined ? { reminder } : {}),
    topRecipientDomains: topDomains(counts),
    since: new Date(since).toISOString(),
    at: new Date(nowMs).toISOString(),
  };
}
