import { createHash } from 'node:crypto';
import { EVENT_TYPES, type EventType } from '../paubox';

/**
 * Notices about a sender rather than one message: a sender domain's bounce rate (`rate`), and what a silence hid
 * once it ended (`silence`). Like a health notice, each is queued beside the events, claimed under its own key and
 * posted through the same path. They hold domains, counts, times, fingerprints and the silence's reason (typed by
 * an operator, cleaned and escaped like any value): never an address, a subject or a header.
 */

/** `problem` when the rate crosses a threshold, `reminder` while it stays up, `resolved` once under `warnAt`. */
export const RATE_STATES = ['problem', 'reminder', 'resolved'] as const;
export type RateState = (typeof RATE_STATES)[number];

/** `warning` at `rates.warnAt` or more, `alert` at `rates.alertAt` or more. */
export const RATE_LEVELS = ['warning', 'alert'] as const;
export type RateLevel = (typeof RATE_LEVELS)[number];

export interface DomainCount {
  readonly domain: string;
  readonly count: number;
}

export interface RateNotice {
  readonly sending: 'rate';
  /** De-duplication key: one notice per change of state (and per reminder). */
  readonly key: string;
  readonly state: RateState;
  readonly level: RateLevel;
  readonly senderDomain: string;
  /** Hard bounces in the window. */
  readonly hard: number;
  /** Delivered plus hard bounces in the window: what the rate divides by. */
  readonly total: number;
  /** Soft bounces in the window: shown beside the rate, not counted in it. */
  readonly soft: number;
  /** The window, in hours. */
  readonly windowHours: number;
  /** The rate the last notice of this alert said, to show the trend. */
  readonly previousRate?: number;
  /** Which reminder this is (1, 2, …); only for `reminder`. */
  readonly reminder?: number;
  /** The recipient domains with the most hard bounces in the window, most first. */
  readonly topRecipientDomains: readonly DomainCount[];
  /** When the alert began, ISO 8601. */
  readonly since: string;
  /** When this was measured, ISO 8601. */
  readonly at: string;
}

/** A silence's id: `s-` and 8 hex digits. */
export const SILENCE_ID = /^s-[0-9a-f]{8}$/;
/** A lower-case domain as silences, routes and buttons name it. */
export const DOMAIN_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)+$/;
/** A recipient fingerprint as alerts show it (`r-` and hex digits). */
export const FINGERPRINT = /^r-[0-9a-f]{4,32}$/;

/** What a silence matched; every field set must match. */
export interface SilenceMatch {
  readonly event?: EventType;
  readonly senderDomain?: string;
  readonly recipientDomain?: string;
  /** A recipient fingerprint (`r-…`). */
  readonly fingerprint?: string;
}

export interface HiddenCount {
  readonly type: EventType;
  /** The event's first recipient domain. */
  readonly domain: string;
  readonly count: number;
}

export interface SilenceEndNotice {
  readonly sending: 'silence';
  readonly key: string;
  readonly id: string;
  readonly match: SilenceMatch;
  readonly reason: string;
  readonly startedAt: string;
  readonly endedAt: string;
  /** What this destination did not show while the silence held. */
  readonly hidden: readonly HiddenCount[];
}

export type SendingNotice = RateNotice | SilenceEndNotice;

export function sendingKey(kind: SendingNotice['sending'], ...parts: readonly (string | number)[]): string {
  return `${kind}-${createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 24)}`;
}

/** The bounce rate as shown: one decimal, "6.1 %". */
export function formatBounceRate(rate: number): string {
  return `${(Math.round(rate * 1000) / 10).toFixed(1)} %`;
}

export function isSendingNotice(view: object): view is SendingNotice {
  const kind = (view as { sending?: unknown }).sending;
  return kind === 'rate' || kind === 'silence';
}

const DOMAIN = /^[a-z0-9.-]{1,253}$/;
const KEY = /^(rate|silence)-[0-9a-f]{24}$/;
const isCount = (n: unknown): n is number => Number.isSafeInteger(n) && (n as number) >= 0;
const isTime = (t: unknown): t is string => typeof t === 'string' && !Number.isNaN(Date.parse(t));
const isDomainCounts = (list: unknown): boolean =>
  Array.isArray(list) &&
  list.every((d: { domain?: unknown; count?: unknown }) => typeof d.domain === 'string' && isCount(d.count));

/** A queued record's body when it holds a sending notice; every field is checked, since anyone may write to a queue. */
export function decodeSendingNotice(body: string): SendingNotice | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || !isSendingNotice(value)) return undefined;
  const n = value as unknown as Record<string, unknown>;
  if (typeof n.key !== 'string' || !KEY.test(n.key)) return undefined;
  if (n.sending === 'rate') {
    const ok =
      RATE_STATES.includes(n.state as never) &&
      RATE_LEVELS.includes(n.level as never) &&
      typeof n.senderDomain === 'string' &&
      DOMAIN.test(n.senderDomain) &&
      [n.hard, n.total, n.soft, n.windowHours].every(isCount) &&
      (n.previousRate === undefined || (typeof n.previousRate === 'number' && n.previousRate >= 0)) &&
      (n.reminder === undefined || isCount(n.reminder)) &&
      isDomainCounts(n.topRecipientDomains) &&
      isTime(n.since) &&
      isTime(n.at);
    return ok ? (value as RateNotice) : undefined;
  }
  const match = n.match as Record<string, unknown> | null;
  const hidden = n.hidden as { type?: unknown; domain?: unknown; count?: unknown }[];
  const ok =
    typeof n.id === 'string' &&
    typeof n.reason === 'string' &&
    typeof match === 'object' &&
    match !== null &&
    Object.values(match).every((v) => typeof v === 'string') &&
    isTime(n.startedAt) &&
    isTime(n.endedAt) &&
    Array.isArray(hidden) &&
    hidden.every((h) => EVENT_TYPES.includes(h.type as never) && typeof h.domain === 'string' && isCount(h.count));
  return ok ? (value as SilenceEndNotice) : undefined;
}
