/**
 * Values as senders write them, read the way a person would: a body behind a UTF-8 BOM, ids beyond 2^53 kept whole,
 * times without an offset, or as epoch seconds or milliseconds.
 */

/** A JSON string (skipped whole) or a number: integers too large for a double are quoted before parsing. */
const STRING_OR_NUMBER = /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/g;

/**
 * Parses JSON text as a webhook body: a leading BOM is dropped, and an integer beyond 2^53 (an id) becomes the
 * string of its digits instead of a rounded number.
 *
 * @throws SyntaxError when the text is not JSON
 */
export function parseJsonText(text: string): unknown {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  const exact = body.replace(STRING_OR_NUMBER, (token) =>
    token[0] !== '"' && /^-?\d+$/.test(token) && !Number.isSafeInteger(Number(token)) ? `"${token}"` : token,
  );
  return JSON.parse(exact) as unknown;
}

/** Epoch numbers below this are seconds (until the year 5138), others milliseconds (from 1973). */
const SECONDS_BELOW = 1e11;
const DATE_TIME_WITHOUT_OFFSET = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?$/;

/**
 * An event time as ISO 8601 (UTC), from an ISO 8601 or RFC 2822 text (one without an offset read as UTC), or epoch
 * seconds or milliseconds (a number or a string of digits). Undefined when it is none of these.
 */
export function readEventTime(value: unknown): string | undefined {
  let ms: number;
  const text = typeof value === 'string' ? value.trim() : undefined;
  if (typeof value === 'number' || (text !== undefined && /^\d+(?:\.\d+)?$/.test(text))) {
    const n = Number(value);
    ms = n < SECONDS_BELOW ? n * 1000 : n;
  } else if (text !== undefined) {
    ms = Date.parse(DATE_TIME_WITHOUT_OFFSET.test(text) ? `${text.replace(' ', 'T')}Z` : text);
  } else return undefined;
  const at = new Date(ms);
  return Number.isNaN(at.getTime()) ? undefined : at.toISOString();
}
