import { cut, formatCount, tidy, VALUE_LIMITS } from './clean-text';
import type { CountedList, DigestView, SampleList } from './digest-view';
import { SHORT_TYPE_LABELS, SHORT_TYPE_PLURALS } from './event-labels';
import { formatTime } from './event-time';
import { GUIDANCE, MIXED_FAILURE_GUIDANCE, REPEAT_NOTE, type Severity } from './guidance';
import { shortKey } from './alert-text';

/**
 * What every renderer shows of a digest, as cleaned and cut (not yet escaped) text, so that Slack, Teams and
 * the console say the same thing. Each renderer chooses how many list items fit its platform's limits.
 */

export { formatCount } from './clean-text';

/** One labelled value of a digest's summary; our own label, untrusted but cleaned value. */
export interface DigestFact {
  readonly label: string;
  readonly value: string;
  /** The time fact only, when both ends are well formed: epoch milliseconds, for the reader's own time zone. */
  readonly range?: { readonly from: number; readonly to: number };
}

/** One item of a digest list: a value with its count, or a sample value alone. */
export interface DigestItem {
  readonly value: string;
  readonly count?: number;
}

export interface DigestList {
  readonly id:
    | 'senderDomains'
    | 'senders'
    | 'recipientDomains'
    | 'messageIds'
    | 'recipients'
    | 'repeatedRecipients'
    | 'stopSending';
  readonly label: string;
  readonly items: readonly DigestItem[];
  /** "and 12 more sender addresses", when items were left out. */
  readonly more?: string;
}

function typeCounts(view: DigestView): string {
  return view.byType
    .map((t) => `${formatCount(t.count)} ${(t.count === 1 ? SHORT_TYPE_LABELS : SHORT_TYPE_PLURALS)[t.type]}`)
    .join(', ');
}

/** The short facts at the top of a digest. */
export function digestFacts(view: DigestView): DigestFact[] {
  const facts: DigestFact[] = [
    { label: 'Events', value: `${formatCount(view.count)}: ${typeCounts(view)}` },
    timeFact(view),
  ];
  if (view.repeatedRecipients !== undefined) {
    facts.push({ label: 'Repeated failures', value: repeatedRecipientsText(view.repeatedRecipients) });
  }
  if (view.senderDomains.distinct === 1) {
    facts.push({ label: 'Sender domain', value: tidy(view.senderDomains.top[0]!.value, VALUE_LIMITS.domain) });
  }
  if (view.senders.distinct === 1) {
    facts.push({ label: 'Sender', value: tidy(view.senders.top[0]!.value, VALUE_LIMITS.address) });
  }
  facts.push({ label: 'Distinct recipients', value: formatCount(view.distinctRecipients) });
  return facts;
}

function timeFact(view: DigestView): DigestFact {
  const { firstAt, lastAt, timeZone } = view;
  if (firstAt !== undefined && lastAt !== undefined) {
    const [from, to] = [formatTime(firstAt, timeZone), formatTime(lastAt, timeZone)];
    return { label: 'Time', value: from === to ? from : `${from} to ${to}`, range: { from: firstAt, to: lastAt } };
  }
  const value =
    view.firstTime === view.lastTime
      ? tidy(view.firstTime, VALUE_LIMITS.time)
      : `${tidy(view.firstTime, VALUE_LIMITS.time)} to ${tidy(view.lastTime, VALUE_LIMITS.time)}`;
  return { label: 'Time', value };
}

/** "4 recipients failed more than once in 24 h". */
export function repeatedRecipientsText(count: number): string {
  if (count === 0) return 'no recipient failed more than once in 24 h';
  return `${formatCount(count)} ${count === 1 ? 'recipient' : 'recipients'} failed more than once in 24 h`;
}

/** A digest is as loud as its loudest event: a hard bounce makes it an error. */
export function digestSeverity(view: DigestView): Severity {
  if (view.category !== 'failure') return 'info';
  return view.byType.some((t) => t.type === 'permanent_failure') ? 'error' : 'warning';
}

/** The digest's guidance, once: its event type's, or both failure types' when it holds both. */
export function digestGuidance(view: DigestView): string {
  const mixed = view.byType.length > 1 && view.category === 'failure';
  const advice = view.stopSending
    ? `Stop sending to the ${view.stopSending.distinct === 1 ? 'recipient' : `${formatCount(view.stopSending.distinct)} recipients`} ` +
      `listed under "Stop sending to": hard bounces within ${view.stopSending.windowDays} days. Update the addresses ` +
      'on file (`npx paubox-relay fingerprint <address>` tells whether an address is one of them). '
    : '';
  const guidance = `${advice}${mixed ? MIXED_FAILURE_GUIDANCE : GUIDANCE[view.byType[0]!.type]}`;
  return view.mayRepeat ? `${guidance} ${REPEAT_NOTE}` : guidance;
}

function countedItems(list: CountedList, max: number, limit: number, noun: string): Pick<DigestList, 'items' | 'more'> {
  const items = list.top.slice(0, max).map((c) => ({ value: tidy(c.value, limit), count: c.count }));
  const left = list.distinct - items.length;
  return { items, ...(left > 0 ? { more: `and ${formatCount(left)} more ${noun}` } : {}) };
}

function sampleItems(list: SampleList, max: number, limit: number, noun: string): Pick<DigestList, 'items' | 'more'> {
  const items = list.first.slice(0, max).map((value) => ({ value: tidy(value, limit) }));
  const left = list.total - items.length;
  return { items, ...(left > 0 ? { more: `and ${formatCount(left)} more ${noun}` } : {}) };
}

/**
 * The digest's lists, each cut to `maxItems` items (and "and N more …"). A list with a single value is a fact
 * instead (see {@link digestFacts}); an empty list is left out.
 */
export function digestLists(view: DigestView, maxItems: number): DigestList[] {
  const L = VALUE_LIMITS;
  const lists: DigestList[] = [];
  if (view.senderDomains.distinct > 1) {
    lists.push({
      id: 'senderDomains',
      label: 'Sender domains',
      ...countedItems(view.senderDomains, maxItems, L.domain, 'sender domains'),
    });
  }
  if (view.senders.distinct > 1) {
    lists.push({ id: 'senders', label: 'Senders', ...countedItems(view.senders, maxItems, L.address, 'senders') });
  }
  if (view.recipientDomains.distinct > 0) {
    lists.push({
      id: 'recipientDomains',
      label: 'Recipient domains',
      ...countedItems(view.recipientDomains, maxItems, L.domain, 'recipient domains'),
    });
  }
  if (view.recipients !== undefined && view.recipients.total > 0) {
    lists.push({
      id: 'recipients',
      label: 'First recipients',
      ...sampleItems(view.recipients, maxItems, L.address, 'recipients'),
    });
  }
  if (view.repeated !== undefined && view.repeated.distinct > 0) {
    // Fingerprints at `minimal`, addresses where the detail level shows them.
    const limit = view.detail === 'minimal' ? L.fingerprint : L.address;
    lists.push({
      id: 'repeatedRecipients',
      label: 'Failed more than once in 24 h',
      ...countedItems(view.repeated, maxItems, limit, 'recipients'),
    });
  }
  if (view.stopSending !== undefined) {
    lists.push({
      id: 'stopSending',
      label: 'Stop sending to (hard bounces)',
      ...countedItems(view.stopSending, maxItems, L.fingerprint, 'recipients'),
    });
  }
  if (view.messageIds.total > 0) {
    lists.push({
      id: 'messageIds',
      label: 'First Message-IDs',
      ...sampleItems(view.messageIds, maxItems, L.messageId, 'Message-IDs'),
    });
  }
  return lists.filter((list) => list.items.length > 0 || list.more !== undefined);
}

/**
 * Whether the digest shows a recipient fingerprint (`r-…`), and so needs the note that says what one is: its list
 * of repeated failures at `minimal`, and its list of recipients to stop sending to at every level.
 */
export function digestShowsFingerprints(view: DigestView): boolean {
  const repeated = view.detail === 'minimal' && view.repeated !== undefined && view.repeated.distinct > 0;
  return repeated || view.stopSending !== undefined;
}

/** An item on one line: "patients.example.org: 1,234" or the value alone. */
export function itemLine(item: DigestItem): string {
  return item.count === undefined ? item.value : `${item.value}: ${formatCount(item.count)}`;
}

/** "Paubox alert relay · destination ops · detail minimal · digest d-…". */
export function digestContextLine(view: DigestView): string {
  return [
    'Paubox alert relay',
    `destination ${tidy(view.destination, VALUE_LIMITS.destination)}`,
    `detail ${tidy(view.detail, 20)}`,
    `digest ${shortKey(view.key)}`,
  ].join(' · ');
}

/**
 * One line with only counts, event types and domains, e.g. "1,234 messages failed to send from clinic.example.com
 * (1,200 permanent failures, 34 temporary failures)". Not escaped: callers escape it for their platform.
 */
export function digestSummaryLine(view: DigestView): string {
  const from =
    view.senderDomains.distinct === 1
      ? tidy(view.senderDomains.top[0]!.value, 60)
      : `${formatCount(view.senderDomains.distinct)} sender domains`;
  return cut(`${tidy(view.title, 100)} from ${from} (${typeCounts(view)})`, 300);
}
