import type { Logger } from '../../observability';
import type { RelayEvent } from '../../paubox';
import type { NotifierMetric, NotifyDeps } from './deps';
import { OutcomeLedger, type QueuedRecord } from './ledger';

/** What every phase of one batch works with: the deps, their defaults resolved, and the batch's ledger. */
export interface BatchRun {
  readonly deps: NotifyDeps;
  /** The destination's name, as store calls and log lines give it. */
  readonly destination: string;
  readonly logger: Logger;
  readonly metric: (name: NotifierMetric, value: number) => void;
  readonly now: () => number;
  readonly ledger: OutcomeLedger;
}

export function startRun(records: readonly QueuedRecord[], deps: NotifyDeps): BatchRun {
  return {
    deps,
    destination: deps.destination.name,
    logger: deps.observability.logger,
    metric: deps.observability.metric ?? (() => undefined),
    now: deps.delivery.now ?? Date.now,
    ledger: new OutcomeLedger(records),
  };
}

/**
 * What the stores, dead letters and log lines need of a record's event, or of a message queued beside the events
 * (a health notice, a report): its key, its type, and what log lines call it (`alert` when unset).
 */
export interface Keyed {
  readonly key: string;
  readonly type: string;
  readonly noun?: string;
}

/** A record of a known kind whose body could not be read: dead-lettered as that kind, under `unreadable`. */
export interface Unread {
  readonly key?: undefined;
  readonly type: string;
  readonly noun?: string;
}

/** An event (or message) of the batch that this invocation may post once its key is claimed. */
export interface Claimed<E extends Keyed = RelayEvent> {
  readonly record: QueuedRecord;
  readonly event: E;
  /** Its position in the batch, to keep posts in the order events arrived. */
  readonly index: number;
}

/** A decoded record, with the other records of the batch that carry the same event. */
export interface Decoded<E extends Keyed = RelayEvent> extends Claimed<E> {
  readonly copies: QueuedRecord[];
}

/** DynamoDB and SQS calls made at once for a batch's events (claims, confirmations, dead letters). */
export const STORE_CONCURRENCY = 25;

export async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * Settles events that are kept but not posted (held by a silence, a follow-up without a thread): each is confirmed,
 * so that a redelivery does not post it, and given `result` with its `reason`.
 */
export async function settleUnposted(
  run: BatchRun,
  items: readonly Claimed[],
  result: 'silenced' | 'dropped',
  reason: string,
): Promise<void> {
  await inPool(items, STORE_CONCURRENCY, async ({ record, event }) => {
    await run.deps.stores.dedup.confirm(run.destination, event.key, 'posted').catch(() => undefined);
    run.ledger.record(record, { id: record.id, eventKey: event.key, result, reason, attempts: 0, rateLimited: 0 });
  });
}
