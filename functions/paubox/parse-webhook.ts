import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { parseAddressList, type ParsedAddress } from './addresses';
import { PayloadError } from './errors';
import { parseJsonText, readEventTime } from './lenient';
import type { EventType, RelayEvent } from './relay-event';

/** Both the current `api_mail_log_*` names and the legacy `message_*` names. */
const EVENT_NAMES: ReadonlyMap<string, EventType> = new Map(
  Object.entries({
    api_mail_log_delivered: 'delivered',
    api_mail_log_opened: 'opened',
    api_mail_log_temporary_failure: 'temporary_failure',
    api_mail_log_permanent_failure: 'permanent_failure',
    message_delivered: 'delivered',
    message_opened: 'opened',
    message_temporary_failure: 'temporary_failure',
    message_permanent_failure: 'permanent_failure',
  } as const),
);

export type ParseResult =
  | { readonly kind: 'event'; readonly event: RelayEvent }
  /** A well-formed envelope whose `event_name` the relay does not know; accepted and ignored. */
  | { readonly kind: 'ignored'; readonly eventName: string };

/** Values are cut to these lengths at the door, so an event always fits an SNS message (256 KB). */
export const FIELD_LIMITS = {
  subject: 2000,
  identifier: 512,
  customHeaders: 50,
  customHeaderName: 128,
  customHeaderValue: 1000,
  recipients: 100,
  /** A Paubox body nests 3 levels (envelope, payload, custom_headers); anything far deeper is refused unread. */
  nesting: 8,
} as const;

/** Whether a decoded JSON value nests deeper than `limit` objects or arrays; iterative, so depth cannot overflow the stack. */
function nestsDeeperThan(value: unknown, limit: number): boolean {
  const stack: { value: unknown; depth: number }[] = [{ value, depth: 0 }];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (typeof next.value !== 'object' || next.value === null) continue;
    const depth = next.depth + 1;
    if (depth > limit) return true;
    for (const child of Object.values(next.value)) stack.push({ value: child, depth });
  }
  return false;
}

const address = z.string().check(z.minLength(3), z.maxLength(FIELD_LIMITS.identifier));
const identifier = z.string().check(z.minLength(1), z.maxLength(FIELD_LIMITS.identifier));
/** An id may come as a number or a string; it is kept as text (ids beyond 2^53 arrive as strings, see lenient.ts). */
const idText = z.optional(z.union([z.number(), identifier]));

const envelopeSchema = z.object({
  event_name: z.string().check(z.minLength(1), z.maxLength(200)),
  // Some senders send the payload as a JSON string of the object: checked by payloadObject.
  payload: z.optional(z.unknown()),
});

const payloadSchema = z.object({
  id: idText,
  // Text or a number; of another type (an object) it tells nothing a person could read: dropped, not fatal.
  subject: z.optional(z.unknown()),
  header_message_id: idText,
  source_tracking_id: idText,
  time: z.optional(z.unknown()),
  from: address,
  to: z.optional(z.string().check(z.minLength(3), z.maxLength(FIELD_LIMITS.identifier * FIELD_LIMITS.recipients))),
  recipients: z.optional(z.array(address).check(z.minLength(1), z.maxLength(FIELD_LIMITS.recipients))),
  custom_headers: z.optional(z.unknown()),
});

/** The payload object, also when it came as a JSON string of one. */
function payloadObject(payload: unknown): unknown {
  let value = payload;
  if (typeof payload === 'string') {
    try {
      value = parseJsonText(payload);
    } catch {
      value = undefined;
    }
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new PayloadError('payload', 'an object');
  return value;
}

/** What each schema problem means, in words that never include the offending value. */
function describe(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'record' ? 'an object' : `a ${issue.expected}`;
    case 'too_small':
      return issue.origin === 'array' ? `at least ${issue.minimum} item(s)` : `at least ${issue.minimum} character(s)`;
    case 'too_big':
      return issue.origin === 'array' ? `at most ${issue.maximum} item(s)` : `at most ${issue.maximum} character(s)`;
    case 'invalid_format':
      return 'an ISO 8601 date-time such as 2026-11-20T14:03:11.482Z';
    case 'invalid_union':
      return 'a number or a non-empty string';
    case 'invalid_value':
      return 'one of the documented values';
    default:
      return 'a value of the documented shape';
  }
}

/** `payload.custom_headers.X-Foo` would echo a header name from the payload: stop at the record. */
function fieldPath(prefix: string, path: readonly PropertyKey[]): string {
  const parts: string[] = prefix ? [prefix] : [];
  for (const segment of path) {
    if (typeof segment === 'number') {
      parts[parts.length - 1] += `[${segment}]`;
      continue;
    }
    parts.push(String(segment));
    if (segment === 'custom_headers') {
      parts[parts.length - 1] += ' (each value)';
      break;
    }
  }
  return parts.join('.');
}

function check<T>(schema: z.ZodMiniType<T>, value: unknown, prefix: string): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  throw new PayloadError(fieldPath(prefix, issue.path), describe(issue));
}

/** The addresses of a field, or a PayloadError naming it (never its value). */
function addressesOf(raw: string, field: string): ParsedAddress[] {
  const parsed = parseAddressList(raw);
  if (!parsed) throw new PayloadError(field, 'an e-mail address such as name@example.com');
  return parsed;
}

const textOf = (value: string | number | undefined): string | undefined =>
  value === undefined ? undefined : String(value);

function subjectOf(value: unknown): string | undefined {
  const text = typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
  return text === undefined ? undefined : cut(text, FIELD_LIMITS.subject);
}

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** Header values as text: numbers and booleans as written, objects and arrays as JSON, null and absent ones dropped. */
function normalizeHeaders(raw: unknown): Record<string, string> {
  const headers: Record<string, string> = {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return headers;
  const present = Object.entries(raw).filter(([, value]) => value !== null && value !== undefined);
  for (const [name, value] of present.slice(0, FIELD_LIMITS.customHeaders)) {
    const text = typeof value === 'object' ? JSON.stringify(value) : String(value);
    headers[cut(name, FIELD_LIMITS.customHeaderName)] = cut(text, FIELD_LIMITS.customHeaderValue);
  }
  return headers;
}

/** Same webhook body, same key; any event-identifying field that differs gives another key. */
function eventKey(parts: readonly (string | undefined)[]): string {
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);
}

/**
 * Parses a Paubox webhook body (already JSON-decoded) into a {@link RelayEvent}.
 *
 * @param body the decoded JSON body
 * @param receivedAt used as the event time when Paubox sends none
 * @throws PayloadError naming the field and what was expected; the message never holds payload values
 */
export function parsePauboxWebhook(body: unknown, receivedAt: Date = new Date()): ParseResult {
  if (nestsDeeperThan(body, FIELD_LIMITS.nesting)) {
    throw new PayloadError('body', `at most ${FIELD_LIMITS.nesting} levels of nested objects and arrays`);
  }
  const envelope = check(envelopeSchema, body, '');
  // A Map, so that `constructor` or `__proto__` is an unknown name, not an inherited property.
  const type = EVENT_NAMES.get(envelope.event_name);
  if (!type) return { kind: 'ignored', eventName: envelope.event_name };

  const payload = check(payloadSchema, payloadObject(envelope.payload), 'payload');
  // The sender is the first address of its field, however written.
  const [sender] = addressesOf(payload.from, 'payload.from');
  if (!sender) throw new PayloadError('payload.from', 'an e-mail address such as name@example.com');

  let recipients: ParsedAddress[];
  let recipientField: string;
  if (payload.to !== undefined) {
    recipients = addressesOf(payload.to, 'payload.to');
    recipientField = 'payload.to';
  } else if (payload.recipients !== undefined) {
    recipients = payload.recipients.flatMap((raw, i) => addressesOf(raw, `payload.recipients[${i}]`));
    recipientField = 'payload.recipients';
  } else {
    throw new PayloadError('payload.to', 'a recipient address (or, in legacy events, a "recipients" array)');
  }
  if (recipients.length === 0) throw new PayloadError(recipientField, 'an e-mail address such as name@example.com');
  if (recipients.length > FIELD_LIMITS.recipients) {
    throw new PayloadError(recipientField, `between 1 and ${FIELD_LIMITS.recipients} recipient addresses`);
  }

  const pauboxId = textOf(payload.id);
  const sourceTrackingId = textOf(payload.source_tracking_id);
  const messageId = textOf(payload.header_message_id);
  if (pauboxId === undefined && !sourceTrackingId && !messageId) {
    throw new PayloadError('payload.id', 'at least one of id, source_tracking_id or header_message_id');
  }
  const rawTime = payload.time === undefined || payload.time === null ? undefined : String(payload.time);

  const event: RelayEvent = {
    key: eventKey([type, pauboxId, sourceTrackingId, messageId, rawTime]),
    type,
    // A time it cannot read is no reason to lose the event: the receive time stands in, as when none is sent.
    time: readEventTime(payload.time) ?? receivedAt.toISOString(),
    pauboxId,
    sourceTrackingId,
    messageId,
    sender: sender.address,
    senderDomain: sender.domain,
    recipients: recipients.map((r) => r.address),
    recipientDomains: [...new Set(recipients.map((r) => r.domain))],
    subject: subjectOf(payload.subject),
    customHeaders: normalizeHeaders(payload.custom_headers),
  };
  return { kind: 'event', event };
}
