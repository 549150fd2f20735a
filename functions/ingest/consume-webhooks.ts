import type { Logger } from '../observability';
import { errorResponse, handleWebhook, type IngestDeps } from './handle-webhook';
import { UnreadableBodyError } from './errors';
import type { Quarantine } from './quarantine/quarantine';
import { requestOf, type QueuedWebhook } from './queued-webhook';

export interface ConsumedRecord extends QueuedWebhook {
  /** SQS message id: what a partial batch failure names. */
  readonly messageId: string;
}

export interface ConsumeDeps extends IngestDeps {
  /** Where a webhook the relay cannot read is kept, with the reason: the ingest dead-letter queue. */
  readonly quarantine: Pick<Quarantine, 'keep'>;
  readonly logger: Logger;
}

export type ConsumeOutcome = 'published' | 'ignored' | 'quarantined' | 'retry';

/**
 * Consumes a batch of the ingest queue: each webhook is checked (token, size, signature, shape) and published by
 * the same `handleWebhook` the local relay runs. A webhook published or ignored is done; one that can never be
 * read (wrong token, bad signature, not a Paubox body) is quarantined with its reason; one that failed for a
 * passing cause (the topic or a secret unavailable) is handed back to the queue, which retries it and finally
 * moves it to the dead-letter queue. Returns the ids to hand back (SQS partial batch failures).
 */
export async function consumeWebhooks(
  records: readonly ConsumedRecord[],
  deps: ConsumeDeps,
): Promise<{ failedIds: string[]; outcomes: ConsumeOutcome[] }> {
  const outcomes = await Promise.all(records.map((record) => consumeOne(record, deps)));
  return { failedIds: records.filter((_, i) => outcomes[i] === 'retry').map((r) => r.messageId), outcomes };
}

async function consumeOne(record: ConsumedRecord, deps: ConsumeDeps): Promise<ConsumeOutcome> {
  const request = requestOf(record);
  // Header values are case-insensitive, and API Gateway passes them on with their spaces.
  const encoding = request.contentEncoding?.trim().toLowerCase();
  const response =
    encoding !== undefined && encoding !== '' && encoding !== 'identity'
      ? errorResponse(new UnreadableBodyError('the body is compressed (content-encoding); Paubox sends plain JSON'))
      : // Answered 4xx, not quarantined there: here a wrong token or signature is kept too, with its attributes.
        await handleWebhook(request, { ...deps, quarantine: undefined });
  if (response.statusCode === 202) return response.body.status === 'ignored' ? 'ignored' : 'published';
  if (response.statusCode >= 500) return 'retry';
  const reason = response.body.error ?? 'unreadable';
  try {
    const webhook = { body: Buffer.from(record.body), receivedAt: request.receivedAt };
    await deps.quarantine.keep({ ...webhook, attributes: record.messageAttributes }, reason);
  } catch (error) {
    deps.logger.log('error', 'could not quarantine a webhook; the queue will retry it', {
      reason,
      errorName: error instanceof Error ? error.name : typeof error,
    });
    return 'retry';
  }
  deps.metric?.('WebhooksQuarantined', 1);
  deps.logger.log('warn', 'quarantined a webhook', { reason, metric: 'WebhooksQuarantined', count: 1 });
  return 'quarantined';
}
