import { createHash } from 'node:crypto';
import type { DetailLevel } from '../config';
import type { EventType, RelayEvent } from '../paubox';
import { recipientFingerprint, type EventExtras, type ViewOptions } from './alert-view';
import { formatCount } from './clean-text';
import { TYPE_LABELS } from './event-labels';
import { DEFAULT_TIME_ZONE, parseEventTime } from './event-time';

/** What a digest groups together: both failure types read as "failed to send". */
export type EventCategory = 'failure' | 'delivered' | 'opened';

export function categoryOf(type: EventType): EventCategory {
  return type === 'permanent_failure' || type === 'temporary_failure' ? 'failure' : type;
}

const DIGEST_VERBS: Readonly<Record<EventCategory, [one: string, many: string]>> = {
  failure: ['message failed to send', 'messages failed to send'],
  delivered: ['message delivered', 'messages delivered'],
  opened: ['message opened', 'messages opened'],
};

/** A value and how many events of a digest have it. */
export interface Counted {
  readonly value: string;
  readonly count: number;
}

/** The most frequent values of one field of a digest's events, and how many distinct values there were. */
export interface CountedList {
  /** Most frequent first (ties in order of first appearance); at most {@link DIGEST_LIST_ITEMS}. */
  readonly top: readonly Counted[];
  readonly distinct: number;
}

/** The first few values of a digest's events (in time order), and how many there were in all. */
export interface SampleList {
  readonly first: readonly string[];
  readonly total: number;
}

/** How many values of each list a digest view keeps; renderers show fewer where a platform's limits demand it. */
export const DIGEST_LIST_ITEMS = 10;
export const DIGEST_SAMPLE_ITEMS = 5;

/**
 * Many events of one category (and usually one sender domain) as one message. Like {@link AlertView}, it holds
 * only what the destination's detail level allows: counts, domains, senders, fingerprints' number and Message-IDs
 * at every level (as a single alert shows them at `minimal`), the first recipient addresses at `recipient` and
 * `full`, and never a subject or custom header (a summary of many messages has no room for them).
 */
export interface DigestView {
  readonly digest: true;
  readonly category: EventCategory;
  /** "1,234 messages failed to send". */
  readonly title: string;
  /** How many events the digest stands for; the counts below add up to it. */
  readonly count: number;
  /** Count of each event type present, most frequent first; adds up to `count`. */
  readonly byType: readonly { readonly type: EventType; readonly label: string; readonly count: number }[];
  /** Adds up to `count`. */
  readonly senderDomains: CountedList;
  /** Sender addresses; adds up to `count`. */
  readonly senders: CountedList;
  /** Events per recipient domain (an event with recipients in two domains counts in both). */
  readonly recipientDomains: CountedList;
  /** Distinct recipients, told apart by their keyed fingerprints. */
  readonly distinctRecipients: number;
  /** `recipient` and `full` only: the first recipient addresses. */
  readonly recipients?: SampleList;
  readonly messageIds: SampleList;
  /**
   * Failures only, when the notifier counted them: how many of the digest's recipients have had more than one
   * failure in the 24 h up to their latest event here.
   */
  readonly repeatedRecipients?: number;
  /**
   * Those recipients with their counts, most first: by fingerprint at `minimal`, by address at `recipient` and
   * `full`. Set with {@link repeatedRecipients}.
   */
  readonly repeated?: CountedList;
  /**
   * Hard bounces only: the recipients the relay advised to stop sending to, by fingerprint at every detail level (as
   * a single alert names them), each with its hard bounces in the advice window, most first.
   */
  readonly stopSending?: CountedList & { readonly windowDays: number };
  /** Earliest and latest event time, as Paubox reported them. */
  readonly firstTime: string;
  readonly lastTime: string;
  /** Both in milliseconds since the epoch, when both are well-formed ISO 8601 times. */
  readonly firstAt?: number;
  readonly lastAt?: number;
  /** IANA zone of times on platforms that cannot show the reader's own. */
  readonly timeZone: string;
  /** Identifies the digest in logs: a hash of its events' keys; not PHI. */
  readonly key: string;
  /** The keys of the events it stands for, as the local relay journals a post before sending it; not PHI. */
  readonly eventKeys: readonly string[];
  /** Some of its events are sent again after a restart that may have come just after their first post. */
  readonly mayRepeat?: true;
  readonly destination: string;
  readonly detail: DetailLevel;
}

function countedList(values: Iterable<string>): CountedList {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  // A stable sort keeps ties in order of first appearance.
  const top = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
  return { top: top.slice(0, DIGEST_LIST_ITEMS), distinct: counts.size };
}

function timeOf(event: RelayEvent): number {
  const t = Date.parse(event.time);
  return Number.isNaN(t) ? Number.POSITIVE_INFINITY : t;
}

/** A digest's id: the same events always give the same id, whatever their order. */
export function digestKey(events: readonly RelayEvent[]): string {
  const hash = createHash('sha256');
  for (const key of events.map((e) => e.key).sort()) hash.update(key).update('\n');
  return `d-${hash.digest('hex').slice(0, 30)}`;
}

/**
 * The view of a digest of `events` (one category; at least one event) for one destination.
 * Detail levels are applied here, as in {@link toAlertView}.
 */
export function toDigestView(
  events: readonly RelayEvent[],
  options: ViewOptions,
  extrasOf?: (event: RelayEvent) => EventExtras | undefined,
): DigestView {
  if (events.length === 0) throw new Error('a digest needs at least one event');
  const category = categoryOf(events[0]!.type);
  if (events.some((e) => categoryOf(e.type) !== category)) throw new Error('a digest holds events of one category');
  const ordered = events
    .map((event, index) => ({ event, index, time: timeOf(event) }))
    .sort((a, b) => a.time - b.time || a.index - b.index)
    .map((o) => o.event);
  const byType = countedList(ordered.map((e) => e.type)).top.map(({ value, count }) => ({
    type: value as EventType,
    label: TYPE_LABELS[value as EventType],
    count,
  }));
  const fingerprints = new Set(
    ordered.flatMap((e) => e.recipients.map((r) => recipientFingerprint(r, options.fingerprintKey))),
  );
  const sample = (values: readonly string[]): SampleList => ({
    first: values.slice(0, DIGEST_SAMPLE_ITEMS),
    total: values.length,
  });
  const [one, many] = DIGEST_VERBS[category];
  const repeated = category === 'failure' && extrasOf ? countRepeated(ordered, options, extrasOf) : undefined;
  const stopSending = extrasOf ? advisedRecipients(ordered, extrasOf) : undefined;
  const firstAt = parseEventTime(ordered[0]!.time);
  const lastAt = parseEventTime(ordered[ordered.length - 1]!.time);
  return {
    digest: true,
    category,
    title: `${formatCount(events.length)} ${events.length === 1 ? one : many}`,
    count: events.length,
    byType,
    senderDomains: countedList(ordered.map((e) => e.senderDomain)),
    senders: countedList(ordered.map((e) => e.sender)),
    recipientDomains: countedList(ordered.flatMap((e) => e.recipientDomains)),
    distinctRecipients: fingerprints.size,
    ...(options.detail !== 'minimal' ? { recipients: sample([...new Set(ordered.flatMap((e) => e.recipients))]) } : {}),
    messageIds: sample(ordered.flatMap((e) => (e.messageId !== undefined ? [e.messageId] : []))),
    ...(repeated !== undefined ? { repeatedRecipients: repeated.distinct, repeated } : {}),
    ...(stopSending !== undefined ? { stopSending } : {}),
    firstTime: ordered[0]!.time,
    lastTime: ordered[ordered.length - 1]!.time,
    ...(firstAt !== undefined && lastAt !== undefined ? { firstAt, lastAt } : {}),
    timeZone: options.timeZone ?? DEFAULT_TIME_ZONE,
    key: digestKey(events),
    eventKeys: events.map((e) => e.key),
    ...(events.some((e) => e.mayRepeat === true) ? { mayRepeat: true as const } : {}),
    destination: options.destination,
    detail: options.detail,
  };
}

/**
 * Recipients whose latest count in the digest is above one, named as the detail level allows (fingerprint at
 * `minimal`, address above); undefined when no event was counted (the lookups failed), so that a digest never
 * claims "none failed more than once" without knowing.
 */
function countRepeated(
  ordered: readonly RelayEvent[],
  options: ViewOptions,
  extrasOf: (event: RelayEvent) => EventExtras | undefined,
): CountedList | undefined {
  const latest = new Map<string, { readonly name: string; count: number }>();
  let counted = false;
  for (const event of ordered) {
    const counts = extrasOf(event)?.failureCounts;
    if (!counts) continue;
    counted = true;
    for (const r of event.recipients) {
      const fingerprint = recipientFingerprint(r, options.fingerprintKey);
      const count = counts.get(fingerprint);
      if (count === undefined) continue;
      const seen = latest.get(fingerprint);
      if (seen) seen.count = Math.max(seen.count, count);
      else latest.set(fingerprint, { name: options.detail === 'minimal' ? fingerprint : r, count });
    }
  }
  if (!counted) return undefined;
  const top = [...latest.values()]
    .filter((r) => r.count > 1)
    .map((r) => ({ value: r.name, count: r.count }))
    .sort((a, b) => b.count - a.count);
  return { top: top.slice(0, DIGEST_LIST_ITEMS), distinct: top.length };
}

/** The advised recipients of the digest's events, each with its highest count; undefined when there are none. */
function advisedRecipients(
  ordered: readonly RelayEvent[],
  extrasOf: (event: RelayEvent) => EventExtras | undefined,
): DigestView['stopSending'] {
  const counts = new Map<string, number>();
  let windowDays = 0;
  for (const event of ordered) {
    for (const advised of extrasOf(event)?.advised ?? []) {
      counts.set(advised.fingerprint, Math.max(counts.get(advised.fingerprint) ?? 0, advised.count));
      windowDays = Math.max(windowDays, advised.windowDays);
    }
  }
  if (counts.size === 0) return undefined;
  const top = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count);
  return { top: top.slice(0, DIGEST_LIST_ITEMS), distinct: top.length, windowDays };
}
