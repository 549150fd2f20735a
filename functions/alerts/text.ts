import type { AlertView } from './view';
import type { EventType } from '../paubox/relay-event';

/**
 * Text helpers shared by the Slack, Teams and console renderers: cleaning and cutting untrusted values,
 * escaping them for each platform, and the list of facts that every renderer shows.
 */

/** Short, lower-case event names for one-line summaries ("… (permanent failure)"). */
export const SHORT_TYPE_LABELS: Readonly<Record<EventType, string>> = {
  permanent_failure: 'permanent failure',
  temporary_failure: 'temporary failure',
  delivered: 'delivered',
  opened: 'opened',
};

/**
 * How much of each value a message shows. Together they bound every rendered message, whatever the input:
 * about 3,200 UTF-16 units of untrusted text at most. With every value at its limit and made of the costliest
 * character (`\`: 2 characters in Slack JSON, 4 bytes in a Teams card once escaped), a Slack body is about
 * 8,300 characters and a Teams body about 13,600 bytes; the renderer tests check both.
 */
export const VALUE_LIMITS = {
  time: 40,
  address: 120,
  domain: 100,
  fingerprint: 16,
  identifier: 120,
  messageId: 200,
  subject: 300,
  headerName: 60,
  headerValue: 150,
  /** Recipients, their domains and their fingerprints: how many of each are listed before "+N more". */
  listItems: 5,
  /** Custom headers listed before "+N more". */
  headers: 5,
  destination: 80,
  key: 64,
} as const;

/** Shown in place of a value that is empty once cleaned: Slack refuses empty text objects. */
export const EMPTY_VALUE = '(empty)';

const ELLIPSIS = '…';

// Line breaks and tabs become a space so that words on either side stay apart.
const LINE_BREAKS = /[\t\n\v\f\r\u0085\u2028\u2029]/g;
// All other C0 and C1 controls (ESC and CSI included: no terminal escapes), DEL, bidi overrides and
// isolates (they can make a value display as something else), and invisible zero-width characters.
// ZWJ/ZWNJ (U+200C/U+200D) are kept: emoji sequences and several scripts need them.
const INVISIBLE = /[\u0000-\u001F\u007F-\u009F\u061C\u200B\u200E\u200F\u202A-\u202E\u2060\u2066-\u2069\uFEFF]/g;
// A surrogate half without its partner is not valid UTF-16: JSON would carry it as a 6-byte `\udxxx`.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * Makes an untrusted value safe to lay out on one line: line breaks and tabs become spaces, every other
 * control character (C0, C1, DEL, so ESC too), bidi controls and zero-width spaces are removed, lone
 * surrogates become U+FFFD, and runs of white space collapse to one space. Nothing is kept deliberately:
 * each renderer adds its own line breaks.
 */
export function cleanText(value: string): string {
  return value
    .replace(LINE_BREAKS, ' ')
    .replace(INVISIBLE, '')
    .replace(LONE_SURROGATE, '\uFFFD')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Cuts `value` to at most `max` UTF-16 code units, the last of them "…" when anything was cut.
 * Never splits a surrogate pair (an emoji is kept whole or dropped whole).
 */
export function cut(value: string, max: number): string {
  if (value.length <= max) return value;
  if (max < 1) return '';
  let end = max - 1;
  const last = value.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${value.slice(0, end).trimEnd()}${ELLIPSIS}`;
}

/** {@link cleanText} then {@link cut}; an empty result becomes {@link EMPTY_VALUE}. */
export function tidy(value: string, max: number): string {
  const cleaned = cut(cleanText(value), max);
  return cleaned === '' ? EMPTY_VALUE : cleaned;
}

/**
 * Slack's escaping for `mrkdwn` and the top-level `text`: `&`, `<` and `>` and nothing else.
 * Without `<`, no mention (`<!channel>`, `<@U…>`), channel link or `<url|label>` link can form.
 */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

// mrkdwn has no backslash escape, so its formatting characters are swapped for look-alikes.
const SLACK_FORMATTING: Readonly<Record<string, string>> = {
  '*': '\u2217', // ∗ asterisk operator
  _: '\uFF3F', // ＿ full-width low line
  '~': '\u223C', // ∼ tilde operator
  '`': '\u02CB', // ˋ modifier letter grave accent
};

/**
 * Untrusted text for a place Slack parses as mrkdwn and where `verbatim` cannot be set (the top-level `text`):
 * escaped as {@link escapeSlack}, with `*` `_` `~` and backquote replaced by look-alikes so no bold, italic,
 * strike or code forms.
 */
export function slackLiteral(text: string): string {
  return escapeSlack(text).replace(/[*_~`]/g, (c) => SLACK_FORMATTING[c] ?? c);
}

/**
 * Backslash-escapes untrusted text for Adaptive Card markdown (TextBlock, Fact.title, Fact.value).
 *
 * Cards parse a CommonMark subset: `**bold**`, `_italic_`, `[title](url)`, `- ` / `1. ` lists at the start
 * of a line, and `{{DATE(…)}}` / `{{TIME(…)}}` functions; Teams also matches `<at>…</at>` mention tags.
 * Characters that act anywhere in a line are always escaped: `\` `` ` `` `*` `_` `{` `}` `[` `]` `(` `)`
 * `!` `|` `<` `>` `~` and `&` (so no `&lt;at&gt;` entity can turn back into a tag). `#` `+` `-` `.` only act
 * as a list or heading marker at the start of a line; since cleaned values hold no line breaks, they are
 * escaped only at the start of the text, so addresses and domains stay readable and searchable.
 */
export function escapeTeams(text: string): string {
  return text.replace(/[\\`*_{}[\]()!|<>~&]/g, '\\$&').replace(/^(\d*)([#+.-])/, '$1\\$2');
}

/** One labelled fact of an alert; values are already cleaned and cut, but not escaped. */
export interface AlertFact {
  /** Stable name, so a renderer can leave a fact out (the console shows the time on its first line). */
  readonly id:
    | 'event'
    | 'time'
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
    { id: 'time', label: 'Time', items: [tidy(view.time, L.time)], separator: list },
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
  ];
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

/** A fact's items on one line. */
export function factValue(fact: AlertFact): string {
  return fact.items.join(fact.separator);
}

/** "Paubox alert relay · destination ops · detail minimal · key 3f…": where an alert came from, for every renderer. */
export function contextLine(view: AlertView): string {
  return [
    'Paubox alert relay',
    `destination ${tidy(view.destination, VALUE_LIMITS.destination)}`,
    `detail ${tidy(view.detail, 20)}`,
    `key ${tidy(view.key, VALUE_LIMITS.key)}`,
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
