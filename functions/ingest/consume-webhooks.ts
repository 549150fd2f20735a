import type { Logger } from '../observability';
import { errorResponse, handleWebhook, type IngestDeps } from './handle-webhook';
import { UnreadableBodyError } from './errors';
import type { Quarantine } from './quarantine/quarantine';
import { looksCompressed, requestOf, type QueuedWebhook } from './queued-webhook';

export interface ConsumedRecord extends QueuedWebhook {
  /** SQS message id: what a partial batch failure names. */
  readonly messageId: string;
}

export interface ConsumeDeps extends IngestDeps {
  /** Where a webhook the relay cannot read is kept, with the reason: the ingest dead-letter queue. */
  readonly quarantine: Pick<Quarantine, 'keep'>;
  readonly logger: Logger;
}

export type ConsumeOutcome = 'published' | 'ignored' | 'self-test' | 'quarantined' | 'refused' | 'retry';

/**
 * Consumes a batch of the ingest queue: each webhook is checked (token, size, signature, shape) and published by
 * the same `handleWebhook` the local relay runs. A webhook published or ignored is done; one without a valid token
 * or signature is refused: dropped, counted and logged, never quarantined, so that a quarantine notice always means
 * a real webhook needs a look. One that passed both but can never be read (not a Paubox body) is quarantined with
 * its reason; one that failed for a passing cause (the topic or a secret unavailable) is handed back to the queue,
 * which retries it and finally moves it to the dead-letter queue. Returns the ids to hand back (SQS partial batch failures).
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
  const response = looksCompressed(record.body)
    ? errorResponse(new UnreadableBodyError('the body is compressed (gzip); Paubox sends plain JSON'))
    : // Answered 4xx, not quarantined there: what passed the token and signature is kept below, with its attributes.
      await handleWebhook(request, deps);
  if (response.statusCode === 202) {
    const { status } = response.body;
    return status === 'ignored' ? 'ignored' : status === 'self_test' ? 'self-test' : 'published';
  }
  if (response.statusCode >= 500) return 'retry';
  // API Gateway queues only paths with a valid token (checked again as at the receive time); one refused here has
  // a bad signature, or came before the routes were made. handleWebhook has counted and logged it.
  if (response.statusCode === 401) return 'refused';
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
