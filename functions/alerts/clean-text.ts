/**
 * Cleaning and cutting of untrusted values, shared by the Slack, Teams and console renderers: what any value may
 * hold once rendered, and how long it may be. Each platform escapes the result its own way (chat/<platform>/escape.ts).
 */

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
  /** Keys are shown cut to this many characters ("…" included): enough to find in the logs. */
  shownKey: 13,
  /** Paubox's deliveryStatus texts are short ("soft bounced - mailbox full"). */
  deliveryStatus: 100,
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

/** `1234` → `1,234`, without Intl (whose first use costs a cold start milliseconds). */
export function formatCount(count: number): string {
  return Number.isInteger(count) ? String(count).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : count.toLocaleString('en-US');
}
