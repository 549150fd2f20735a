import type { IngestRequest } from './handle-webhook';

/**
 * What API Gateway's `SQS-SendMessage` integration puts on the ingest queue for each `POST /paubox/<token>`: the
 * raw body, and message attributes for what checking it needs. One definition for both sides: the construct
 * builds its `MessageAttributes` mapping from {@link QUEUED_ATTRIBUTES}, the consumer reads them back here.
 *
 * SQS refuses an empty attribute value, and a request without a signature header would then be refused whole:
 * every value is sent behind a `v=` prefix, so it is never empty, and the prefix is removed here.
 */
export const QUEUED_ATTRIBUTES = {
  /**
   * The request path, `/paubox/<token>`: the webhook routes are literal (one per token), so there is no path
   * parameter; the token is its last segment. Webhooks queued before were given the token alone.
   */
  token: '${context.path}',
  webhookId: '${request.header.webhook-id}',
  webhookTimestamp: '${request.header.webhook-timestamp}',
  webhookSignature: '${request.header.webhook-signature}',
  /** Epoch milliseconds when API Gateway received the request. */
  receivedAt: '${context.requestTimeEpoch}',
  requestId: '${context.requestId}',
  /** A compressed body cannot be read as JSON; it is quarantined with its reason. */
  contentEncoding: '${request.header.content-encoding}',
} as const;

export type QueuedAttributeName = keyof typeof QUEUED_ATTRIBUTES;

export const ATTRIBUTE_PREFIX = 'v=';

/** The `MessageAttributes` request parameter of the integration: a JSON template API Gateway fills in. */
export function messageAttributesTemplate(): string {
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(QUEUED_ATTRIBUTES).map(([name, source]) => [
        name,
        { DataType: 'String', StringValue: `${ATTRIBUTE_PREFIX}${source}` },
      ]),
    ),
  );
}

/** A record as the consumer receives it (the fields of an SQS event record it reads). */
export interface QueuedWebhook {
  readonly body: string;
  readonly messageAttributes: Readonly<Record<string, { readonly stringValue?: string } | undefined>>;
  /** SQS's SentTimestamp, epoch ms as a string: the fallback when receivedAt is missing. */
  readonly sentTimestamp?: string;
}

function attribute(record: QueuedWebhook, name: QueuedAttributeName): string | undefined {
  const raw = record.messageAttributes[name]?.stringValue;
  if (raw === undefined || !raw.startsWith(ATTRIBUTE_PREFIX)) return undefined;
  const value = raw.slice(ATTRIBUTE_PREFIX.length);
  return value === '' ? undefined : value;
}

/** The request the queued webhook stands for, for the same `handleWebhook` the local relay runs. */
export function requestOf(record: QueuedWebhook): IngestRequest & { readonly contentEncoding?: string } {
  const receivedMs = Number(attribute(record, 'receivedAt') ?? record.sentTimestamp);
  const headers: Record<string, string | undefined> = {
    'webhook-id': attribute(record, 'webhookId'),
    'webhook-timestamp': attribute(record, 'webhookTimestamp'),
    'webhook-signature': attribute(record, 'webhookSignature'),
  };
  const contentEncoding = attribute(record, 'contentEncoding');
  return {
    token: attribute(record, 'token')?.split('/').pop(),
    body: record.body,
    isBase64Encoded: false,
    headers,
    receivedAt: Number.isFinite(receivedMs) ? new Date(receivedMs) : new Date(),
    ...(contentEncoding !== undefined ? { contentEncoding } : {}),
  };
}
