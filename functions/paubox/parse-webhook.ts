import { createHash } from 'node:crypto';
import * as z from 'zod/mini';
import { PayloadError } from './errors';
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

const envelopeSchema = z.object({
  event_name: z.string().check(z.minLength(1), z.maxLength(200)),
  payload: z.record(z.string(), z.unknown()),
});

const payloadSchema = z.object({
  id: z.optional(z.union([z.int(), identifier])),
  subject: z.optional(z.nullable(z.string())),
  header_message_id: z.optional(identifier),
  source_tracking_id: z.optional(identifier),
  outbound_queue_id: z.optional(z.nullable(z.string())),
  time: z.optional(z.iso.datetime({ offset: true })),
  from: address,
  to: z.optional(z.string().check(z.minLength(3), z.maxLength(FIELD_LIMITS.identifier * FIELD_LIMITS.recipients))),
  recipients: z.optional(z.array(address).check(z.minLength(1), z.maxLength(FIELD_LIMITS.recipients))),
  custom_headers: z.optional(z.nullable(z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])))),
});

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
      return 'an integer or a non-empty string';
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

/** `Jordan Lee <jordan.lee@x.org>`, `"Lee, Jordan" <jordan.lee@x.org>` and `jordan.lee@x.org` give the address. */
function parseAddress(raw: string, field: string): { address: string; domain: string } {
  const angled = /<([^<>]*)>\s*$/.exec(raw);
  // `a@x.org (Dr. A)`: an RFC 5322 comment beside a bare address is not part of it.
  const address = (angled ? angled[1]! : raw.replace(/\([^()]*\)/g, '')).trim();
  const at = address.lastIndexOf('@');
  const domain = address.slice(at + 1).toLowerCase();
  if (at < 1 || !/^[^\s@]+$/.test(address.slice(0, at)) || !/^[\p{L}\p{N}-]+(\.[\p{L}\p{N}-]+)+$/u.test(domain)) {
    throw new PayloadError(field, 'an e-mail address such as name@example.com');
  }
  return { address, domain };
}

/**
 * Splits `"Doe, John" <john.doe@x.org>, b@y.org` on the commas that separate addresses, not on those
 * inside a quoted display name, a comment or angle brackets.
 */
export function splitAddressList(list: string): string[] {
  const parts: string[] = [];
  let current = '';
  let quoted = false;
  let angle = 0;
  let comment = 0;
  for (let i = 0; i < list.length; i++) {
    const c = list[i]!;
    if (quoted && c === '\\' && i + 1 < list.length) {
      current += c + list[++i];
      continue;
    }
    if (c === '"' && comment === 0) quoted = !quoted;
    else if (!quoted && c === '<') angle++;
    else if (!quoted && c === '>' && angle > 0) angle--;
    else if (!quoted && angle === 0 && c === '(') comment++;
    else if (!quoted && angle === 0 && c === ')' && comment > 0) comment--;
    else if (!quoted && angle === 0 && comment === 0 && c === ',') {
      parts.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  parts.push(current);
  // An unclosed quote, bracket or comment would swallow the addresses after it: split on every comma instead.
  const balanced = !quoted && angle === 0 && comment === 0;
  return (balanced ? parts : list.split(',')).filter((part) => part.trim() !== '');
}

function cut(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

function normalizeHeaders(raw: Record<string, string | number | boolean> | null | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  if (!raw) return headers;
  for (const [name, value] of Object.entries(raw).slice(0, FIELD_LIMITS.customHeaders)) {
    headers[cut(name, FIELD_LIMITS.customHeaderName)] = cut(String(value), FIELD_LIMITS.customHeaderValue);
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

  const payload = check(payloadSchema, envelope.payload, 'payload');
  const sender = parseAddress(payload.from, 'payload.from');

  let rawRecipients: string[];
  let recipientField: string;
  if (payload.to !== undefined) {
    rawRecipients = splitAddressList(payload.to);
    recipientField = 'payload.to';
  } else if (payload.recipients !== undefined) {
    rawRecipients = payload.recipients;
    recipientField = 'payload.recipients';
  } else {
    throw new PayloadError('payload.to', 'a recipient address (or, in legacy events, a "recipients" array)');
  }
  if (rawRecipients.length === 0 || rawRecipients.length > FIELD_LIMITS.recipients) {
    throw new PayloadError(recipientField, `between 1 and ${FIELD_LIMITS.recipients} recipient addresses`);
  }
  const recipients = rawRecipients.map((raw, i) =>
    parseAddress(raw, recipientField === 'payload.to' ? recipientField : `${recipientField}[${i}]`),
  );

  const pauboxId = payload.id === undefined ? undefined : String(payload.id);
  if (pauboxId === undefined && !payload.source_tracking_id && !payload.header_message_id) {
    throw new PayloadError('payload.id', 'at least one of id, source_tracking_id or header_message_id');
  }

  const event: RelayEvent = {
    key: eventKey([type, pauboxId, payload.source_tracking_id, payload.header_message_id, payload.time]),
    type,
    time: payload.time ? new Date(payload.time).toISOString() : receivedAt.toISOString(),
    pauboxId,
    sourceTrackingId: payload.source_tracking_id,
    messageId: payload.header_message_id,
    sender: sender.address,
    senderDomain: sender.domain,
    recipients: recipients.map((r) => r.address),
    recipientDomains: [...new Set(recipients.map((r) => r.domain))],
    subject: payload.subject == null ? undefined : cut(payload.subject, FIELD_LIMITS.subject),
    customHeaders: normalizeHeaders(payload.custom_headers),
  };
  return { kind: 'event', event };
}
