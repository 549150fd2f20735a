import { decodeHealthNotice, type HealthNotice } from '../../alerts/health-notice';
import type { ClaimResult } from '../dedup/dedup-store';
import { reasonOf } from '../error-reason';
import type { DeliveryOutcome } from '../retry';
import type { QueuedRecord } from './ledger';
import { deadLetter, handBack, type Keyed } from './hand-back';
import { openDestination } from './post';
import type { BatchRun } from './run';

/**
 * Relay health notices queued beside the events: each is claimed, posted and confirmed under its own key with the
 * same pacing, retries and dead letters as an alert, so a notice raised twice (by two alarms' actions, or after a
 * redelivery) is posted once.
 */

interface NoticeRecord {
  readonly record: QueuedRecord;
  readonly notice: HealthNotice;
}

/** Splits the batch: records holding a health notice, and the rest (events, or records that hold nothing). */
export function splitNotices(records: readonly QueuedRecord[]): {
  notices: NoticeRecord[];
  events: QueuedRecord[];
} {
  const notices: NoticeRecord[] = [];
  const events: QueuedRecord[] = [];
  for (const record of records) {
    const notice = decodeHealthNotice(record.body);
    if (notice) notices.push({ record, notice });
    else events.push(record);
  }
  return { notices, events };
}

const unsent = (record: QueuedRecord, key: string, result: 'duplicate' | 'retry', reason?: string) => ({
  id: record.id,
  eventKey: key,
  result,
  ...(reason !== undefined ? { reason } : {}),
  attempts: 0,
  rateLimited: 0,
});

/** Posts the batch's notices, one by one and in order, before its alerts: a notice is short and says why. */
export async function postNotices(run: BatchRun, all: readonly NoticeRecord[]): Promise<void> {
  if (all.length === 0) return;
  const { ledger } = run;
  // Copies of a notice in one batch follow the first: handed back with it, else skipped as duplicates.
  const firsts = new Map<string, NoticeRecord>();
  const copies: NoticeRecord[] = [];
  for (const item of all) {
    if (firsts.has(item.notice.key)) copies.push(item);
    else firsts.set(item.notice.key, item);
  }
  await postFirsts(run, [...firsts.values()]);
  for (const copy of copies) {
    const first = ledger.outcomeOf(firsts.get(copy.notice.key)!.record);
    const result = first.result === 'retry' ? 'retry' : 'duplicate';
    ledger.record(copy.record, unsent(copy.record, copy.notice.key, result, first.reason));
  }
}

async function postFirsts(run: BatchRun, notices: readonly NoticeRecord[]): Promise<void> {
  const { destination, ledger, logger } = run;
  const { dedup } = run.deps.stores;
  const claimed: NoticeRecord[] = [];
  for (const item of notices) {
    let claim: ClaimResult;
    try {
      claim = await dedup.claim(destination, item.notice.key, run.deps.delivery.leaseMs);
    } catch (error) {
      logger.log('warn', 'could not claim notice; will retry', {
        destination,
        eventKey: item.notice.key,
        reason: reasonOf(error),
      });
      ledger.record(item.record, unsent(item.record, item.notice.key, 'retry', 'dedup_unavailable'));
      continue;
    }
    if (claim === 'done') {
      run.metric('Duplicates', 1);
      ledger.record(item.record, unsent(item.record, item.notice.key, 'duplicate'));
    } else if (claim === 'busy') {
      ledger.record(item.record, unsent(item.record, item.notice.key, 'retry', 'claimed_elsewhere'));
    } else claimed.push(item);
  }
  if (claimed.length === 0) return;
  const held = claimed.map((item) => ({ record: item.record, event: { key: item.notice.key, type: 'health' } }));
  const open = await openDestination(run, held);
  if (!open) return;
  for (const [index, item] of claimed.entries()) {
    const { delivery } = run.deps;
    const outcome: DeliveryOutcome =
      delivery.remainingMs() < delivery.sendTimeoutMs
        ? { kind: 'retry_later', attempts: 0, rateLimited: 0, reason: 'out_of_time' }
        : await open.sender.deliver(item.notice, item.record.receiveCount);
    await settleNotice(run, held[index]!, outcome);
  }
}

async function settleNotice(
  run: BatchRun,
  item: { readonly record: QueuedRecord; readonly event: Keyed },
  outcome: DeliveryOutcome,
): Promise<void> {
  const { record, event } = item;
  if (outcome.kind === 'posted') {
    await run.deps.stores.dedup.confirm(run.destination, event.key, 'posted').catch(() => undefined);
    run.ledger.record(record, {
      id: record.id,
      eventKey: event.key,
      result: 'posted',
      unconfirmed: outcome.unconfirmed,
      attempts: outcome.attempts,
      rateLimited: outcome.rateLimited,
    });
    run.logger.log('info', 'posted health notice', { destination: run.destination, eventKey: event.key });
    return;
  }
  if (outcome.kind === 'dead') {
    run.metric('DestinationBroken', 1);
    await deadLetter(run, record, event, outcome.reason, outcome, outcome.status);
    return;
  }
  await handBack(run, item, outcome.reason, outcome);
}
