import type { IngestRequest } from './handle-webhook';

/**
 * What API Gateway's `SQS-SendMessage` integration puts on the ingest queue for each `POST /paubox/<token>`: the
 * raw body, and message attributes for what checking it needs. One definition for both sides: the construct
 * builds its `MessageAttributes` mapping from {@link QUEUED_ATTRIBUTES}, the consumer reads them back here.
 *
 * SQS refuses an empty attribute value, and a request without a signature header would then be refused whole:
 * every value is sent behind a `v=` prefix, so it is never empty, and the prefix is removed here.
 *
 * Only what every request has is mapped by default: what API Gateway does with a mapped header the request lacks
 * is not documented, and Paubox's dashboard webhooks are unsigned. No reserved header (`Content-Encoding` among
 * them) is ever mapped; a compressed body is recognised by its own first bytes.
 */
export const QUEUED_ATTRIBUTES = {
  /**
   * The request path, `/paubox/<token>`: the webhook routes are literal (one per token), so there is no path
   * parameter; the token is its last segment. Webhooks queued before were given the token alone.
   */
  token: '${context.path}',
  /** Epoch milliseconds when API Gateway received the request. */
  receivedAt: '${context.requestTimeEpoch}',
  requestId: '${context.requestId}',
} as const;

/** The Standard Webhooks headers: mapped only with `ingest.verifySignatures`, when every webhook carries them. */
export const SIGNATURE_ATTRIBUTES = {
  webhookId: '${request.header.webhook-id}',
  webhookTimestamp: '${request.header.webhook-timestamp}',
  webhookSignature: '${request.header.webhook-signature}',
} as const;

export type QueuedAttributeName = keyof typeof QUEUED_ATTRIBUTES | keyof typeof SIGNATURE_ATTRIBUTES;

export const ATTRIBUTE_PREFIX = 'v=';

/** The `MessageAttributes` request parameter of the integration: a JSON template API Gateway fills in. */
export function messageAttributesTemplate(options: { readonly verifySignatures: boolean }): string {
  const sources = { ...QUEUED_ATTRIBUTES, ...(options.verifySignatures ? SIGNATURE_ATTRIBUTES : {}) };
  return JSON.stringify(
    Object.fromEntries(
      Object.entries(sources).map(([name, source]) => [
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

/**
 * A gzip body, raw (its magic bytes; SQS would have refused them, but a redriven message may hold anything) or
 * base64-encoded (`H4sI`, which is text SQS accepts). Paubox sends plain JSON.
 */
export function looksCompressed(body: string): boolean {
  return body.startsWith('\u001f\u008b') || body.startsWith('H4sI');
}

/** The request the queued webhook stands for, for the same `handleWebhook` the local relay runs. */
export function requestOf(record: QueuedWebhook): IngestRequest {
  const receivedMs = Number(attribute(record, 'receivedAt') ?? record.sentTimestamp);
  const headers: Record<string, string | undefined> = {
    'webhook-id': attribute(record, 'webhookId'),
    'webhook-timestamp': attribute(record, 'webhookTimestamp'),
    'webhook-signature': attribute(record, 'webhookSignature'),
  };
  return {
    token: attribute(record, 'token')?.split('/').pop(),
    body: record.body,
    isBase64Encoded: false,
    headers,
    receivedAt: Number.isFinite(receivedMs) ? new Date(receivedMs) : new Date(),
  };
}
