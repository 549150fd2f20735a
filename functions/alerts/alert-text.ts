import type { AlertView, RecipientFailures } from './alert-view';
import { cut, EMPTY_VALUE, tidy, VALUE_LIMITS } from './clean-text';
import { SHORT_TYPE_LABELS } from './event-labels';
import { formatTime } from './event-time';
import { GUIDANCE, REPEAT_NOTE, SEVERITIES, TEST_GUIDANCE, type Severity } from './guidance';

/**
 * What every renderer shows of one alert, as cleaned and cut (not yet escaped) text, so that Slack, Teams and the
 * console say the same thing: its facts, its context line and its one-line summary.
 */

/** One labelled fact of an alert; values are already cleaned and cut, but not escaped. */
export interface AlertFact {
  /** Stable name, so a renderer can leave a fact out (the console shows the time on its first line). */
  readonly id:
    | 'event'
    | 'time'
    | 'deliveryStatus'
    | 'repeatedFailures'
    | 'sender'
    | 'recipientDomains'
    | 'recipientFingerprints'
    | 'recipients'
    | 'pauboxId'
    | 'sourceTrackingId'
    | 'messageId'
    | 'subject'
    | 'customHeaders';
  /** Our own words, never input. */
  readonly label: string;
  /** Untrusted values, cleaned and cut; the last one may be "+N more". */
  readonly items: readonly string[];
  /** How the items are joined on one line. */
  readonly separator: string;
  /**
   * The time fact only, when the time is well formed: its epoch milliseconds, from which Slack and Teams show the
   * reader's own time; `items` then holds it in the configured zone, for everything else.
   */
  readonly at?: number;
}

/** The first `max` items, then "+N more" for the rest. */
function capped(values: readonly string[], max: number, limit: number): string[] {
  const shown = values.slice(0, max).map((v) => tidy(v, limit));
  if (values.length > max) shown.push(`+${values.length - max} more`);
  return shown.length > 0 ? shown : [EMPTY_VALUE];
}

function plural(count: number, one: string, many: string): string {
  return count === 1 ? one : many;
}

/**
 * The facts every renderer shows, in order, limited to what the view holds: recipients only when the view
 * has them (detail `recipient` or `full`), subject and custom headers only at `full`, ids only when present.
 */
export function alertFacts(view: AlertView): AlertFact[] {
  const L = VALUE_LIMITS;
  const list = ', ';
  const facts: AlertFact[] = [
    { id: 'event', label: 'Event', items: [tidy(view.typeLabel, 200)], separator: list },
    view.at !== undefined
      ? { id: 'time', label: 'Time', items: [formatTime(view.at, view.timeZone)], separator: list, at: view.at }
      : { id: 'time', label: 'Time', items: [tidy(view.time, L.time)], separator: list },
  ];
  if (view.deliveryStatus !== undefined) {
    facts.push({
      id: 'deliveryStatus',
      label: 'Paubox status',
      items: [tidy(view.deliveryStatus, L.deliveryStatus)],
      separator: list,
    });
  }
  if (view.repeatedFailures !== undefined && view.repeatedFailures.length > 0) {
    facts.push({
      id: 'repeatedFailures',
      label: 'How often',
      items: [repeatedFailuresText(view.repeatedFailures, view.recipientFingerprints.length)],
      separator: list,
    });
  }
  facts.push(
    { id: 'sender', label: 'Sender', items: [tidy(view.sender, L.address)], separator: list },
    {
      id: 'recipientDomains',
      label: plural(view.recipientDomains.length, 'Recipient domain', 'Recipient domains'),
      items: capped(view.recipientDomains, L.listItems, L.domain),
      separator: list,
    },
    {
      id: 'recipientFingerprints',
      label: plural(view.recipientFingerprints.length, 'Recipient fingerprint', 'Recipient fingerprints'),
      items: capped(view.recipientFingerprints, L.listItems, L.fingerprint),
      separator: list,
    },
  );
  if (view.recipients !== undefined) {
    facts.push({
      id: 'recipients',
      label: plural(view.recipients.length, 'Recipient', 'Recipients'),
      items: capped(view.recipients, L.listItems, L.address),
      separator: list,
    });
  }
  if (view.pauboxId !== undefined) {
    facts.push({ id: 'pauboxId', label: 'Paubox id', items: [tidy(view.pauboxId, L.identifier)], separator: list });
  }
  if (view.sourceTrackingId !== undefined) {
    facts.push({
      id: 'sourceTrackingId',
      label: 'Source tracking id',
      items: [tidy(view.sourceTrackingId, L.identifier)],
      separator: list,
    });
  }
  if (view.messageId !== undefined) {
    facts.push({ id: 'messageId', label: 'Message-ID', items: [tidy(view.messageId, L.messageId)], separator: list });
  }
  if (view.subject !== undefined) {
    facts.push({ id: 'subject', label: 'Subject', items: [tidy(view.subject, L.subject)], separator: list });
  }
  const headers = Object.entries(view.customHeaders ?? {});
  if (headers.length > 0) {
    const items = headers
      .slice(0, L.headers)
      .map(([name, value]) => `${tidy(name, L.headerName)}: ${tidy(value, L.headerValue)}`);
    if (headers.length > L.headers) items.push(`+${headers.length - L.headers} more`);
    // Header values may hold commas; a semicolon keeps one header apart from the next.
    facts.push({ id: 'customHeaders', label: 'Custom headers', items, separator: '; ' });
  }
  return facts;
}

/**
 * "3 failures for this recipient in 24 h", or, when the event had several recipients,
 * "3 failures for r-1a2b3c4d5e, 2 for r-… in 24 h". Counts and fingerprints only: never an address.
 */
export function repeatedFailuresText(repeated: readonly RecipientFailures[], recipients: number): string {
  if (recipients === 1 && repeated.length === 1) {
    return `${repeated[0]!.count} failures for this recipient in 24 h`;
  }
  const shown = repeated.slice(0, VALUE_LIMITS.listItems);
  const parts = shown.map(
    (r, i) => `${r.count}${i === 0 ? ' failures' : ''} for ${tidy(r.fingerprint, VALUE_LIMITS.fingerprint)}`,
  );
  if (repeated.length > shown.length) parts.push(`+${repeated.length - shown.length} more`);
  return `${parts.join(', ')} in 24 h`;
}

/** Whether the alert shows a recipient fingerprint (`r-…`), and so needs the note that says what one is. */
export function alertShowsFingerprints(view: AlertView): boolean {
  return view.recipientFingerprints.length > 0;
}

/** How loud the alert is: a test alert is information, whatever its event type. */
export function alertSeverity(view: AlertView): Severity {
  return view.test ? 'info' : SEVERITIES[view.type];
}

/** What the reader should do, in our own words. */
export function guidanceLine(view: AlertView): string {
  if (view.test) return TEST_GUIDANCE;
  const stop = (view.stopSending ?? []).map(
    (r) =>
      `Stop sending to ${tidy(r.fingerprint, VALUE_LIMITS.fingerprint)}: ${r.count} hard bounces within ` +
      `${r.windowDays} days. Update the address on file (\`npx paubox-relay fingerprint <address>\` tells whether ` +
      'an address is this one). ',
  );
  const guidance = `${stop.join('')}${GUIDANCE[view.type]}`;
  return view.mayRepeat ? `${guidance} ${REPEAT_NOTE}` : guidance;
}

/** A key as shown: long enough to find in the logs (they hold it whole), short enough to read. */
export function shortKey(key: string): string {
  return cut(tidy(key, VALUE_LIMITS.key), VALUE_LIMITS.shownKey);
}

/** A fact's items on one line. */
export function factValue(fact: AlertFact): string {
  return fact.items.join(fact.separator);
}

/**
 * "Paubox alert relay · destination ops · detail minimal · key 3f2a1b9c7d0e…": where an alert came from, for every
 * renderer.
 */
export function contextLine(view: AlertView): string {
  return [
    'Paubox alert relay',
    `destination ${tidy(view.destination, VALUE_LIMITS.destination)}`,
    `detail ${tidy(view.detail, 20)}`,
    `key ${shortKey(view.key)}`,
  ].join(' · ');
}

/** Up to three domains, then "+N more": short enough for a notification. */
function domainSummary(domains: readonly string[]): string {
  const shown = domains.slice(0, 3).map((d) => tidy(d, 60));
  if (domains.length > 3) shown.push(`+${domains.length - 3} more`);
  return shown.length > 0 ? shown.join(', ') : EMPTY_VALUE;
}

/**
 * One line that holds only the event type and domains, never an address or subject, e.g.
 * "Message failed to send: permanent failure from mail.clinic.example.com to patients.example.org".
 * Not escaped: callers escape it for their platform.
 */
export function summaryLine(view: AlertView): string {
  const failure = view.type === 'permanent_failure' || view.type === 'temporary_failure';
  const what = failure ? `${tidy(view.title, 100)}: ${SHORT_TYPE_LABELS[view.type]}` : tidy(view.title, 100);
  return cut(`${what} from ${tidy(view.senderDomain, 60)} to ${domainSummary(view.recipientDomains)}`, 300);
}
