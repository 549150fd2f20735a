import { randomBytes } from 'node:crypto';
import type { HiddenCount, SilenceEndNotice, SilenceMatch } from '../alerts';
import { DOMAIN_NAME as DOMAIN, FINGERPRINT, SILENCE_ID, sendingKey } from '../alerts';
import { EVENT_TYPES, type EventType, type RelayEvent } from '../paubox';

/**
 * A silence: for a while, events that match it are not posted. They are still accepted, archived and counted (in
 * the rates, and in what the silence hid, per destination); when it ends, each destination that hid something is
 * told what. Only events are silenced: relay health notices and bounce-rate alerts never are.
 */
export interface Silence {
  /** `s-` and 8 hex digits. */
  readonly id: string;
  readonly match: SilenceMatch;
  /** Why, in the operator's words: shown in the end message, cleaned and escaped like any value. */
  readonly reason: string;
  readonly createdAt: string;
  readonly endsAt: string;
  /** Set when ended early (`silence end`). */
  readonly endedAt?: string;
  /** What it hid: destination → `<event type> <recipient domain>` → count. */
  readonly hidden: Readonly<Record<string, Readonly<Record<string, number>>>>;
  /** Set once its end messages are queued, so they are queued once. */
  readonly announced?: boolean;
}

export { SILENCE_ID };
/** The longest a silence may hold: a silence forgotten must not hide alerts for good. */
export const MAX_SILENCE_MS = 30 * 86_400_000;
export const MAX_REASON_LENGTH = 500;

export function newSilenceId(): string {
  return `s-${randomBytes(4).toString('hex')}`;
}

/** What is wrong with a silence's match, reason and length, in words that say what to write instead. */
export function silenceProblems(match: SilenceMatch, reason: string, forMs: number): string[] {
  const problems: string[] = [];
  if (match.event !== undefined && !EVENT_TYPES.includes(match.event)) {
    problems.push(`--event: expected one of ${EVENT_TYPES.join(', ')}`);
  }
  for (const [flag, value] of [
    ['--sender-domain', match.senderDomain],
    ['--recipient-domain', match.recipientDomain],
  ] as const) {
    if (value !== undefined && !DOMAIN.test(value))
      problems.push(`${flag}: expected a lower-case domain such as example.org`);
  }
  if (match.fingerprint !== undefined && !FINGERPRINT.test(match.fingerprint)) {
    problems.push('--fingerprint: expected a fingerprint as alerts show it, such as r-3f2a9c01');
  }
  if (Object.keys(match).length === 0) {
    problems.push('name what to silence: --event, --sender-domain, --recipient-domain or --fingerprint (or several)');
  }
  if (reason.trim() === '')
    problems.push('--reason: say why, for whoever reads the channel (e.g. "known outage at example.org")');
  if (reason.length > MAX_REASON_LENGTH) problems.push(`--reason: at most ${MAX_REASON_LENGTH} characters`);
  if (!(forMs > 0 && forMs <= MAX_SILENCE_MS))
    problems.push('--for: expected a duration such as 30m, 4h or 2d, at most 30d');
  return problems;
}

/** Whether the silence holds at `nowMs`. */
export function isActive(silence: Silence, nowMs: number): boolean {
  return silence.endedAt === undefined && Date.parse(silence.endsAt) > nowMs;
}

/** When it ended or ends. */
export function endOf(silence: Silence): string {
  return silence.endedAt ?? silence.endsAt;
}

/** A domain matches itself and its subdomains, as in routes. */
const inDomain = (domain: string, silenced: string): boolean => domain === silenced || domain.endsWith(`.${silenced}`);

/** Whether `event` matches; `fingerprints` are its recipients' (asked for only when the silence names one). */
export function silences(match: SilenceMatch, event: RelayEvent, fingerprints: () => readonly string[]): boolean {
  if (match.event !== undefined && event.type !== match.event) return false;
  if (match.senderDomain !== undefined && !inDomain(event.senderDomain, match.senderDomain)) return false;
  const { recipientDomain } = match;
  if (recipientDomain !== undefined && !event.recipientDomains.some((d) => inDomain(d, recipientDomain))) return false;
  if (match.fingerprint !== undefined && !fingerprints().includes(match.fingerprint)) return false;
  return true;
}

/** The key one hidden event is counted under. */
export function hiddenKey(type: EventType, recipientDomain: string | undefined): string {
  return `${type} ${recipientDomain ?? 'unknown'}`;
}

/** What a silence hid at one destination, as a notice's list. */
export function hiddenCounts(counts: Readonly<Record<string, number>> | undefined): HiddenCount[] {
  return Object.entries(counts ?? {})
    .filter(([, count]) => count > 0)
    .map(([key, count]) => {
      const [type, domain] = key.split(' ') as [EventType, string];
      return { type, domain, count };
    });
}

/** The end message of a silence for one destination, or undefined when it hid nothing there. */
export function silenceEndNotice(silence: Silence, destination: string): SilenceEndNotice | undefined {
  const hidden = hiddenCounts(silence.hidden[destination]);
  if (hidden.length === 0) return undefined;
  return {
    sending: 'silence',
    key: sendingKey('silence', silence.id, destination),
    id: silence.id,
    match: silence.match,
    reason: silence.reason,
    startedAt: silence.createdAt,
    endedAt: endOf(silence),
    hidden,
  };
}
