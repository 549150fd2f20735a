import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsSdk } from '../aws';
import type { Logger } from '../observability';
import { reasonOf } from './error-reason';
import type { RecordOutcome } from './notify/ledger';

/** SQS's longest visibility timeout, 12 hours. */
const MAX_VISIBILITY_SECONDS = 43_200;

/** SQS takes at most this many entries in one ChangeMessageVisibilityBatch call. */
const SQS_BATCH_ENTRIES = 10;

/**
 * When each handed-back record should come again, in whole seconds (SQS's unit, rounded up so never early): its
 * backoff, or the platform's Retry-After. Records handed back without one keep the queue's visibility timeout.
 */
export function retryVisibility(outcomes: readonly RecordOutcome[]): { id: string; seconds: number }[] {
  return outcomes
    .filter((o) => o.result === 'retry' && o.notBeforeMs !== undefined)
    .map((o) => ({ id: o.id, seconds: Math.min(MAX_VISIBILITY_SECONDS, Math.ceil(o.notBeforeMs! / 1000)) }));
}

/**
 * Makes each handed-back record visible again after its backoff (ChangeMessageVisibility), rather than after the
 * queue's visibility timeout of minutes. Best effort: a record not changed still comes back, only later.
 */
export async function delayRetries(
  client: () => SQSClient,
  queueUrl: string,
  receipts: ReadonlyMap<string, string>,
  outcomes: readonly RecordOutcome[],
  logger: Logger,
): Promise<void> {
  const entries = retryVisibility(outcomes)
    .filter((e) => receipts.has(e.id))
    .map((e) => ({ Id: e.id, ReceiptHandle: receipts.get(e.id)!, VisibilityTimeout: e.seconds }));
  for (let i = 0; i < entries.length; i += SQS_BATCH_ENTRIES) {
    const chunk = entries.slice(i, i + SQS_BATCH_ENTRIES);
    try {
      const reply = await client().send(
        new (sqsSdk().ChangeMessageVisibilityBatchCommand)({ QueueUrl: queueUrl, Entries: chunk }),
      );
      const failed = reply.Failed?.length ?? 0;
      if (failed > 0) {
        logger.log('warn', 'retry delay not set; the alerts come back after the queue visibility timeout', {
          count: failed,
          reason: reply.Failed![0]!.Code,
        });
      }
    } catch (error) {
      logger.log('warn', 'retry delay not set; the alerts come back after the queue visibility timeout', {
        count: chunk.length,
        reason: reasonOf(error),
      });
    }
  }
}
