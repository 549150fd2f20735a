import { reasonOf } from '../error-reason';
import type { QueuedRecord } from './ledger';
import type { BatchRun, Keyed, Unread } from './run';

/** Sends a record's post took; the digest's when it was in one. */
export interface Tries {
  readonly attempts: number;
  readonly rateLimited: number;
}

export const NOT_TRIED: Tries = { attempts: 0, rateLimited: 0 };

/**
 * Keeps a record that can never be posted as a dead letter, with its reason. One that cannot be kept is left on
 * the queue (its claim released) rather than lost. Says which of the two it became.
 */
export async function deadLetter(
  run: BatchRun,
  record: QueuedRecord,
  event: Keyed | Unread | undefined,
  reason: string,
  { attempts, rateLimited }: Tries,
  status?: number,
): Promise<'dead_lettered' | 'retry'> {
  const { destination, logger, metric, ledger } = run;
  const { dedup, deadLetters } = run.deps.stores;
  try {
    await deadLetters.put({
      destination,
      eventKey: event?.key ?? 'unreadable',
      eventType: event?.type ?? 'unknown',
      reason,
      ...(status !== undefined ? { status } : {}),
      failedAt: new Date(run.now()).toISOString(),
      body: record.body,
    });
  } catch (error) {
    // Could not keep it: leave it on the queue rather than lose it.
    logger.log('error', 'dead letter not stored; record left on the queue', {
      destination,
      eventKey: event?.key,
      reason: reasonOf(error),
    });
    if (event?.key !== undefined) await dedup.release(destination, event.key).catch(() => undefined);
    ledger.record(record, { id: record.id, eventKey: event?.key, result: 'retry', reason, attempts, rateLimited });
    return 'retry';
  }
  // The letter is kept: handing the record back now would keep it twice. A claim left unconfirmed expires with
  // its lease, which leaves the key claimable by a redrive, as a confirmed dead one is.
  if (event?.key !== undefined) {
    const { key } = event;
    await dedup.confirm(destination, key, 'dead').catch((error: unknown) =>
      logger.log('warn', 'dead-lettered, but the de-duplication record was not updated', {
        destination,
        eventKey: key,
        reason: reasonOf(error),
      }),
    );
  }
  metric('DeadLetters', 1);
  logger.log('error', `${event?.noun ?? 'alert'} dead-lettered`, {
    destination,
    eventKey: event?.key,
    eventType: event?.type,
    reason,
    status,
  });
  ledger.record(record, {
    id: record.id,
    eventKey: event?.key,
    result: 'dead_lettered',
    reason,
    attempts,
    rateLimited,
  });
  return 'dead_lettered';
}

/**
 * A send that certainly did not post: dead-letter on the last receive, else release the claim and hand back, so
 * that the record comes again after `notBeforeMs`. Says which of the two it became: what the caller logs.
 */
export async function handBack(
  run: BatchRun,
  item: { readonly record: QueuedRecord; readonly event: Keyed },
  reason: string,
  tries: Tries & { readonly notBeforeMs?: number | undefined },
): Promise<'dead_lettered' | 'retry'> {
  const { record, event } = item;
  if (record.receiveCount >= run.deps.delivery.maxReceiveCount) return deadLetter(run, record, event, reason, tries);
  await run.deps.stores.dedup.release(run.destination, event.key).catch(() => undefined);
  // A failed try that will be made again.
  if (tries.attempts > 0) run.metric('Retries', 1);
  run.ledger.record(record, {
    id: record.id,
    eventKey: event.key,
    result: 'retry',
    reason,
    attempts: tries.attempts,
    rateLimited: tries.rateLimited,
    ...(tries.notBeforeMs !== undefined ? { notBeforeMs: tries.notBeforeMs } : {}),
  });
  return 'retry';
}
