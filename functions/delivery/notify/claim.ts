import type { ClaimResult } from '../dedup/dedup-store';
import { reasonOf } from '../error-reason';
import { unsent, type QueuedRecord } from './ledger';
import { inPool, STORE_CONCURRENCY, type BatchRun, type Claimed, type Keyed } from './run';

/**
 * Claims every event before anything is posted, and returns those this invocation may post, in the batch's order.
 * An event already posted is a duplicate; one another invocation holds, or whose claim failed, is handed back.
 */
export async function claimEvents<T extends Claimed<Keyed>>(run: BatchRun, decoded: readonly T[]): Promise<T[]> {
  const { destination, logger, ledger } = run;
  const { dedup } = run.deps.stores;
  const claimed: T[] = [];
  await inPool(decoded, STORE_CONCURRENCY, async (item) => {
    const { record, event } = item;
    let claim: ClaimResult;
    try {
      claim = await dedup.claim(destination, event.key, run.deps.delivery.leaseMs);
    } catch (error) {
      logger.log('warn', 'could not claim event; will retry', {
        destination,
        eventKey: event.key,
        eventType: event.type,
        reason: reasonOf(error),
      });
      ledger.record(record, unsent(record, event.key, 'retry', 'dedup_unavailable'));
      return;
    }
    if (claim === 'done') skipDuplicate(run, record, event);
    else if (claim === 'busy') {
      ledger.record(record, unsent(record, event.key, 'retry', 'claimed_elsewhere'));
    } else claimed.push(item);
  });
  return claimed.sort((a, b) => a.index - b.index);
}

/** A record whose event is already posted, or dead-lettered in this batch: nothing to send. */
export function skipDuplicate(run: BatchRun, record: QueuedRecord, event: Keyed): void {
  run.metric('Duplicates', 1);
  run.logger.log('info', 'duplicate skipped', {
    destination: run.destination,
    eventKey: event.key,
    eventType: event.type,
  });
  run.ledger.record(record, unsent(record, event.key, 'duplicate'));
}
