import type { Logger } from '../observability';
import { PayloadError } from '../paubox';
import { type MalformedJsonError, UnavailableError } from './errors';
import type { IngestResponse, KeepUnreadable } from './handle-webhook';
import type { IngestMetric } from './ingest-metric';
import type { Quarantine } from './quarantine/quarantine';

/** The reason an unreadable body is kept for: our own words, with the field at most, never a value. */
function unreadableReason(error: PayloadError | MalformedJsonError): string {
  return error instanceof PayloadError ? `invalid_payload: ${error.field}` : 'malformed_json';
}

/**
 * Keeps a body that passed the token (and signature) but cannot be read in `store`, answering 202 `quarantined`
 * once it is kept, and 503 when it could not be: the local relay's answer to such a webhook.
 */
export function keepUnreadable(
  store: Pick<Quarantine, 'keep'>,
  deps: { readonly logger: Logger; readonly metric?: IngestMetric },
): KeepUnreadable {
  return async (body, error, receivedAt): Promise<IngestResponse> => {
    const reason = unreadableReason(error);
    let id: string;
    try {
      id = await store.keep({ body, receivedAt }, reason);
    } catch (cause) {
      throw new UnavailableError('the webhook could not be kept in the quarantine', cause);
    }
    deps.metric?.('WebhooksQuarantined', 1);
    deps.logger.log('error', 'quarantined an unreadable webhook', { reason, metric: 'WebhooksQuarantined', count: 1 });
    return {
      statusCode: 202,
      body: { status: 'quarantined', id, message: `kept unread (${reason}); nothing relayed` },
    };
  };
}
