/**
 * Event times: Paubox sends ISO 8601 UTC with milliseconds. A time is shown from our own epoch number, so that
 * platforms that can (Slack, Teams) show it in the reader's time zone, and others in the configured one.
 */

import { DEFAULT_TIME_ZONE } from '../config';

export { DEFAULT_TIME_ZONE, isTimeZone } from '../config';

// Strict: the lenient Date.parse reads "1." or "Tuesday 3" as dates, and a hostile time must stay text.
const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** Milliseconds since the epoch of an ISO 8601 time with a zone, or undefined for anything else. */
export function parseEventTime(value: string): number | undefined {
  if (!ISO_TIME.test(value)) return undefined;
  const ms = Date.parse(value);
  return Number.isFinite(ms) ? ms : undefined;
}

const formats = new Map<string, Intl.DateTimeFormat>();

/** `2026-11-20 09:03 EST`: a time in `timeZone`, to the minute, for readers whose platform cannot localise. */
export function formatTime(ms: number, timeZone: string = DEFAULT_TIME_ZONE): string {
  // The default zone needs no Intl formatter, whose first construction costs a cold start about 13 ms.
  if (timeZone === 'UTC') return `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  let format = formats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-CA', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    formats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
}

/** `2026-11-20T14:03:11Z`: the form Adaptive Cards' DATE() and TIME() take (RFC 3339, no fraction). */
export function rfc3339(ms: number): string {
  return `${new Date(ms).toISOString().slice(0, 19)}Z`;
}
