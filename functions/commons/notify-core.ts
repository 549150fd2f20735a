import { toAlertView } from './alert-view';
import type { DeadLetterSink } from './dead-letters';
import type { DedupStore } from './dedup';
import { deliver, type DeliveryContext } from './delivery';
import type { DetailLevel } from './detail-level';
import { DestinationUrlError } from './errors';
import type { Logger } from './logger';
import { decodeQueuedEvent } from './relay-event';
import type { AlertSender } from './senders';

export interface QueuedRecord {
  /** SQS message id: what a partial batch failure names. */
  readonly id: string;
  /** The event as the ingest published it (raw SNS delivery: the JSON itself). */
  readonly body: string;
  /** 1 on first delivery; SQS's ApproximateReceiveCount. */
  readonly receiveCount: number;
}

/**
 * What the notifier reports, per destination. Outcomes of a record: `AlertsPosted`, `AlertsUnconfirmed` (sent, reply
 * timed out), `Duplicates`, `DeadLetters`, `AlertsDeferred` (handed back to the queue). `DestinationBroken` is what
 * the destination's alarm watches; `Retries` and `RateLimited` count attempts; `EndToEndDelay` (milliseconds) is the
 * time from the event at Paubox to the platform accepting the post; `DigestEvents` is the number of events one
 * digest message carries.
 */
export type NotifierMetric =
  | 'AlertsPosted'
  | 'AlertsUnconfirmed'
  | 'Duplicates'
  | 'DeadLetters'
  | 'DestinationBroken'
  | 'Retries'
  | 'RateLimited'
  | 'AlertsDeferred'
  | 'EndToEndDelay'
  | 'DigestEvents';

export interface NotifyDeps {
  readonly destination: string;
  readonly detail: DetailLevel;
  readonly sender: () => Promise<AlertSender>;
  readonly fingerprintKey: () => Promise<string>;
  readonly dedup: DedupStore;
  readonly deadLetters: DeadLetterSink;
  /** Retry policy, clock and time budget of this invocation. */
  readonly delivery: Omit<DeliveryContext, 'onRetry'>;
  /** The queue's maxReceiveCount: on the last receive a record that still fails is dead-lettered with its reason. */
  readonly maxReceiveCount: number;
  /** How long a claim holds if this invocation dies mid-send. */
  readonly leaseMs: number;
  readonly logger: Logger;
  readonly metric?: (name: NotifierMetric, value: number) => void;
}

export type RecordResult = 'posted' | 'duplicate' | 'dead_lettered' | 'retry';

export interface RecordOutcome {
  readonly id: string;
  readonly eventKey?: string;
  readonly result: RecordResult;
  readonly reason?: string;
  readonly unconfirmed?: boolean;
  readonly attempts: number;
  readonly rateLimited: number;
  /** For `retry`: the platform asked not to be called again for this long (429 Retry-After). */
  readonly notBeforeMs?: number;
}

export interface BatchOutcome {
  /** Ids of the records to hand back to the queue; SQS retries only these. */
  readonly failedIds: readonly string[];
  readonly outcomes: readonly RecordOutcome[];
}

function reasonOf(error: unknown): string {
  if (error instanceof DestinationUrlError) return 'destination_url_refused';
  return error instanceof Error ? `error_${error.name}`.slice(0, 64) : 'error_unknown';
}

/**
 * Posts each record of a batch in order, exactly once per destination and event:
 * claim → send with retries → confirm. A record that can never be posted goes to the dead letters with
 * its reason at once; one that may succeed later is handed back to the queue, and dead-lettered on its
 * last receive. Nothing is dropped: every record ends posted, a known duplicate, dead-lettered, or retried.
 */
export async function notifyBatch(records: readonly QueuedRecord[], deps: NotifyDeps): Promise<BatchOutcome> {
  const outcomes: RecordOutcome[] = [];
  for (const record of records) {
    const outcome = await notifyRecord(record, deps);
    if (outcome.result === 'retry') deps.metric?.('AlertsDeferred', 1);
    outcomes.push(outcome);
  }
  return { failedIds: outcomes.filter((o) => o.result === 'retry').map((o) => o.id), outcomes };
}

async function notifyRecord(record: QueuedRecord, deps: NotifyDeps): Promise<RecordOutcome> {
  const { logger, destination, dedup } = deps;
  const metric = deps.metric ?? (() => undefined);
  const event = decodeQueuedEvent(record.body);
  const lastReceive = record.receiveCount >= deps.maxReceiveCount;

  const deadLetter = async (reason: string, attempts: number, rateLimited: number, status?: number): Promise<RecordOutcome> => {
    try {
      await deps.deadLetters.put({
        destination,
        eventKey: event?.key ?? 'unreadable',
        eventType: event?.type ?? 'unknown',
        reason,
        ...(status !== undefined ? { status } : {}),
        failedAt: new Date().toISOString(),
        body: record.body,
      });
      if (event) await dedup.confirm(destination, event.key, 'dead');
    } catch (error) {
      // Could not keep it: leave it on the queue rather than lose it.
      logger.log('error', 'dead letter not stored; record left on the queue', { destination, eventKey: event?.key, reason: reasonOf(error) });
      if (event) await dedup.release(destination, event.key).catch(() => undefined);
      return { id: record.id, eventKey: event?.key, result: 'retry', reason, attempts, rateLimited };
    }
    metric('DeadLetters', 1);
    logger.log('error', 'alert dead-lettered', { destination, eventKey: event?.key, eventType: event?.type, reason, status });
    return { id: record.id, eventKey: event?.key, result: 'dead_lettered', reason, attempts, rateLimited };
  };

  if (!event) return deadLetter('malformed_record', 0, 0);

  let claim;
  try {
    claim = await dedup.claim(destination, event.key, deps.leaseMs);
  } catch (error) {
    logger.log('warn', 'could not claim event; will retry', { destination, eventKey: event.key, reason: reasonOf(error) });
    return { id: record.id, eventKey: event.key, result: 'retry', reason: 'dedup_unavailable', attempts: 0, rateLimited: 0 };
  }
  if (claim === 'done') {
    metric('Duplicates', 1);
    logger.log('info', 'duplicate skipped', { destination, eventKey: event.key, eventType: event.type });
    return { id: record.id, eventKey: event.key, result: 'duplicate', attempts: 0, rateLimited: 0 };
  }
  if (claim === 'busy') {
    return { id: record.id, eventKey: event.key, result: 'retry', reason: 'claimed_elsewhere', attempts: 0, rateLimited: 0 };
  }

  let sender: AlertSender;
  let fingerprintKey: string;
  try {
    [sender, fingerprintKey] = await Promise.all([deps.sender(), deps.fingerprintKey()]);
  } catch (error) {
    const reason = reasonOf(error);
    logger.log('warn', 'destination not usable', {
      destination,
      eventKey: event.key,
      // Says what is wrong with the stored URL, naming at most its host.
      reason: error instanceof DestinationUrlError ? `destination URL ${error.message}` : reason,
    });
    if (lastReceive) return deadLetter(reason, 0, 0);
    await dedup.release(destination, event.key).catch(() => undefined);
    return { id: record.id, eventKey: event.key, result: 'retry', reason, attempts: 0, rateLimited: 0 };
  }

  const view = toAlertView(event, { destination, detail: deps.detail, fingerprintKey });
  const started = Date.now();
  const outcome = await deliver(() => sender.send(view), {
    ...deps.delivery,
    onRetry: (error, attempt, delayMs) => {
      metric('Retries', 1);
      logger.log('info', 'retrying alert', { destination, eventKey: event.key, reason: error.reason, attempt, durationMs: delayMs });
    },
  });
  if (outcome.rateLimited > 0) metric('RateLimited', outcome.rateLimited);
  const { attempts, rateLimited } = outcome;

  switch (outcome.kind) {
    case 'posted':
      await dedup.confirm(destination, event.key, 'posted').catch((error: unknown) =>
        logger.log('warn', 'posted, but the de-duplication record was not updated', { destination, eventKey: event.key, reason: reasonOf(error) }),
      );
      metric(outcome.unconfirmed ? 'AlertsUnconfirmed' : 'AlertsPosted', 1);
      // Only a confirmed post has a known acceptance time; the event's own time may be unreadable or in the future.
      if (!outcome.unconfirmed) {
        const delayMs = Date.now() - Date.parse(event.time);
        if (Number.isFinite(delayMs)) metric('EndToEndDelay', Math.max(0, delayMs));
      }
      logger.log(outcome.unconfirmed ? 'warn' : 'info', outcome.unconfirmed ? 'alert sent, reply timed out; not resent' : 'posted alert', {
        destination,
        eventKey: event.key,
        eventType: event.type,
        attempt: attempts,
        durationMs: Date.now() - started,
      });
      return { id: record.id, eventKey: event.key, result: 'posted', unconfirmed: outcome.unconfirmed, attempts, rateLimited };
    case 'dead':
      metric('DestinationBroken', 1);
      return deadLetter(outcome.reason, attempts, rateLimited, outcome.status);
    case 'retry_later':
      if (lastReceive) return deadLetter(outcome.reason, attempts, rateLimited);
      await dedup.release(destination, event.key).catch(() => undefined);
      logger.log('warn', 'alert not posted yet; handed back to the queue', { destination, eventKey: event.key, reason: outcome.reason, attempt: attempts });
      return {
        id: record.id,
        eventKey: event.key,
        result: 'retry',
        reason: outcome.reason,
        attempts,
        rateLimited,
        ...(outcome.notBeforeMs !== undefined ? { notBeforeMs: outcome.notBeforeMs } : {}),
      };
  }
}
