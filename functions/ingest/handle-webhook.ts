import type { Logger } from '../observability';
import { PayloadError, SignatureError, parseJsonText, parsePauboxWebhook, verifyWebhookSignature } from '../paubox';
import { routingAttributes } from '../routing';
import {
  MalformedJsonError,
  PayloadTooLargeError,
  UnauthorizedError,
  UnavailableError,
  UnreadableBodyError,
} from './errors';
import type { EventPublisher } from './event-publisher';
import type { IngestMetric } from './ingest-metric';
import { type SelfTestRecords, selfTestNonce } from './self-test-marker';
import { tokenMatches } from './token';

/** The shape of Paubox's event names, current and legacy. */
const PAUBOX_EVENT_NAME = /^(api_mail_log|message)_[a-z_]{1,40}$/;

/** Paubox bodies are about 1 KB; anything far larger is not a Paubox notification. */
export const MAX_BODY_BYTES = 64 * 1024;

/** Keeps a body that cannot be read as a Paubox event, and answers for it. */
export type KeepUnreadable = (
  body: Buffer,
  error: PayloadError | MalformedJsonError,
  receivedAt: Date,
) => Promise<IngestResponse>;

export interface IngestDeps {
  /**
   * The token(s) valid when the request was received (`receivedAt`): a webhook API Gateway queued through a route
   * whose overlap ended while it waited was valid when it came.
   */
  readonly expectedTokens: (receivedAt: Date) => Promise<readonly string[]>;
  /**
   * The Standard Webhooks signing key. When given, every webhook must carry a valid signature;
   * a key that cannot be read makes ingest answer 503, never accept unverified webhooks.
   */
  readonly signingKey?: () => Promise<Buffer>;
  readonly publisher: EventPublisher;
  readonly logger: Logger;
  readonly metric?: IngestMetric;
  /**
   * Keeps a body with the right token (and signature) that cannot be read as a Paubox event, answering 202
   * `quarantined` rather than 400: Paubox never retries, so a refused webhook would be lost. Apart
   * ({@link keepUnreadable}), so that the ingest consumer, which quarantines with the message's attributes itself,
   * bundles none of it.
   * @default none: such a body is answered 400
   */
  readonly unreadable?: KeepUnreadable;
  /**
   * Where a self-test webhook (the deploy's, or `verify`'s) is recorded as read. It is recognised once the token
   * has matched, before the signature check (the self-test is unsigned, as Paubox's dashboard webhooks are), and
   * never published.
   * @default none: a self-test is an unknown event_name, ignored
   */
  readonly selfTests?: Pick<SelfTestRecords, 'record'>;
}

export interface IngestRequest {
  /** The `{token}` path segment. */
  readonly token: string | undefined;
  readonly body: string | undefined;
  readonly isBase64Encoded?: boolean;
  /** Request headers, names in lower case; only the signature headers are read. */
  readonly headers?: Readonly<Record<string, string | undefined>>;
  readonly receivedAt: Date;
}

export interface IngestResponse {
  readonly statusCode: number;
  readonly body: Readonly<Record<string, string>>;
}

function bodyBytes(request: IngestRequest): Buffer {
  const raw = request.body ?? '';
  const bytes = request.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (bytes.length > MAX_BODY_BYTES) throw new PayloadTooLargeError(MAX_BODY_BYTES);
  return bytes;
}

function decodeJson(bytes: Buffer): unknown {
  try {
    return parseJsonText(bytes.toString('utf8'));
  } catch {
    throw new MalformedJsonError();
  }
}

/** The one place where errors become status codes. Messages are the errors' own, which never hold payload values. */
export function errorResponse(error: unknown): IngestResponse {
  if (error instanceof UnauthorizedError)
    return { statusCode: 401, body: { error: 'unauthorized', message: error.message } };
  if (error instanceof SignatureError)
    return { statusCode: 401, body: { error: 'invalid_signature', message: error.message } };
  if (error instanceof PayloadTooLargeError)
    return { statusCode: 413, body: { error: 'payload_too_large', message: error.message } };
  if (error instanceof MalformedJsonError)
    return { statusCode: 400, body: { error: 'malformed_json', message: error.message } };
  if (error instanceof UnreadableBodyError)
    return { statusCode: 415, body: { error: 'unreadable_body', message: error.message } };
  if (error instanceof PayloadError) {
    return { statusCode: 400, body: { error: 'invalid_payload', field: error.field, message: error.message } };
  }
  if (error instanceof UnavailableError) {
    return { statusCode: 503, body: { error: 'unavailable', message: `${error.message}; try again` } };
  }
  return { statusCode: 500, body: { error: 'internal', message: 'unexpected error' } };
}

async function recordSelfTest(
  nonce: string,
  records: Pick<SelfTestRecords, 'record'>,
  logger: Logger,
): Promise<IngestResponse> {
  try {
    await records.record(nonce);
  } catch (cause) {
    throw new UnavailableError('the self-test could not be recorded', cause);
  }
  logger.log('info', 'read a self-test webhook; nothing relayed', {});
  return { statusCode: 202, body: { status: 'self_test', id: nonce, message: 'self-test read; nothing relayed' } };
}

/**
 * Accepts one Paubox webhook: authenticate, decode, validate, publish. Paubox never retries, so a 2xx
 * is only answered once the event has been handed to the publisher.
 */
export async function handleWebhook(request: IngestRequest, deps: IngestDeps): Promise<IngestResponse> {
  const { logger } = deps;
  try {
    const tokens = await deps.expectedTokens(request.receivedAt).catch((cause: unknown) => {
      throw new UnavailableError('the webhook token could not be read', cause);
    });
    // Check every token so that timing does not tell which one matched.
    const matched = tokens.map((t) => tokenMatches(request.token, t)).includes(true);
    if (!matched) throw new UnauthorizedError();

    const bytes = bodyBytes(request);
    const nonce = deps.selfTests ? selfTestNonce(bytes) : undefined;
    if (nonce !== undefined && deps.selfTests) return await recordSelfTest(nonce, deps.selfTests, logger);
    if (deps.signingKey) {
      const key = await deps.signingKey().catch((cause: unknown) => {
        throw new UnavailableError('the webhook signing secret could not be read or is not a whsec_ value', cause);
      });
      verifyWebhookSignature(request.headers ?? {}, bytes, key, request.receivedAt.getTime());
    }
    let parsed: ReturnType<typeof parsePauboxWebhook>;
    try {
      parsed = parsePauboxWebhook(decodeJson(bytes), request.receivedAt);
    } catch (error) {
      if (!deps.unreadable || !(error instanceof PayloadError || error instanceof MalformedJsonError)) throw error;
      return await deps.unreadable(bytes, error, request.receivedAt);
    }
    if (parsed.kind === 'ignored') {
      // The name is untrusted: it is logged only when it looks like a Paubox event name (a new event type to
      // route), never as free text, which could hold anything.
      logger.log('warn', 'ignored an unknown event_name', {
        reason: PAUBOX_EVENT_NAME.test(parsed.eventName) ? parsed.eventName : 'not a Paubox event name',
        metric: 'UnknownEventName',
        count: 1,
      });
      deps.metric?.('UnknownEventName', 1);
      return { statusCode: 202, body: { status: 'ignored', message: 'unknown event_name; nothing was relayed' } };
    }

    const { event } = parsed;
    try {
      await deps.publisher.publish(event, routingAttributes(event));
    } catch (cause) {
      throw new UnavailableError('the event could not be queued for delivery', cause);
    }
    deps.metric?.('EventsReceived', 1, { EventType: event.type });
    logger.log('info', 'accepted event', {
      eventKey: event.key,
      eventType: event.type,
      senderDomain: event.senderDomain,
    });
    return { statusCode: 202, body: { status: 'accepted', id: event.key } };
  } catch (error) {
    const response = errorResponse(error);
    const errorName = error instanceof Error ? error.name : typeof error;
    deps.metric?.('WebhooksRejected', 1, { Reason: response.body.error ?? 'internal' });
    // These messages are the relay's own and never hold payload, header or secret values.
    const safeReason =
      error instanceof PayloadError || error instanceof SignatureError || error instanceof UnavailableError;
    logger.log(response.statusCode >= 500 ? 'error' : 'warn', 'rejected webhook', {
      status: response.statusCode,
      errorName,
      ...(safeReason ? { reason: error.message } : {}),
    });
    return response;
  }
}
