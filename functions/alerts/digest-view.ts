import { createHash } from 'node:crypto';
import type { DetailLevel } from '../config/detail-levels';
import type { EventType, RelayEvent } from '../paubox/relay-event';
import { recipientFingerprint, type ViewOptions } from './alert-view';
import { TYPE_LABELS } from './event-labels';

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
  /** Earliest and latest event time, as Paubox reported them. */
  readonly firstTime: string;
  readonly lastTime: string;
  /** Identifies the digest in logs: a hash of its events' keys; not PHI. */
  readonly key: string;
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
export function toDigestView(events: readonly RelayEvent[], options: ViewOptions): DigestView {
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
  return {
    digest: true,
    category,
    title: `${events.length.toLocaleString('en-US')} ${events.length === 1 ? one : many}`,
    count: events.length,
    byType,
    senderDomains: countedList(ordered.map((e) => e.senderDomain)),
    senders: countedList(ordered.map((e) => e.sender)),
    recipientDomains: countedList(ordered.flatMap((e) => e.recipientDomains)),
    distinctRecipients: fingerprints.size,
    ...(options.detail !== 'minimal' ? { recipients: sample([...new Set(ordered.flatMap((e) => e.recipients))]) } : {}),
    messageIds: sample(ordered.flatMap((e) => (e.messageId !== undefined ? [e.messageId] : []))),
    firstTime: ordered[0]!.time,
    lastTime: ordered[ordered.length - 1]!.time,
    key: digestKey(events),
    destination: options.destination,
    detail: options.detail,
  };
}
