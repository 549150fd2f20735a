import { toAlertView } from './alert-view';
import type { DetailLevel } from './detail-level';
import type { Logger } from './logger';
import { DestinationUrlError } from './errors';
import { EVENT_TYPES, type RelayEvent } from './relay-event';
import { DeliveryError, type AlertSender } from './senders';

export interface QueuedRecord {
  /** SQS message id: what a partial batch failure names. */
  readonly id: string;
  /** The event as the ingest published it (raw SNS delivery: the JSON itself). */
  readonly body: string;
}

export interface NotifyDeps {
  readonly destination: string;
  readonly detail: DetailLevel;
  readonly sender: () => Promise<AlertSender>;
  readonly fingerprintKey: () => Promise<string>;
  readonly logger: Logger;
}

export interface BatchOutcome {
  /** Ids of the records to hand back to the queue; SQS retries only these. */
  readonly failedIds: readonly string[];
}

/** Published events are our own JSON, but a queue can be written to by others: check the shape. */
export function decodeQueuedEvent(body: string): RelayEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const e = value as Partial<RelayEvent> | null;
  const ok =
    typeof e === 'object' &&
    e !== null &&
    typeof e.key === 'string' &&
    EVENT_TYPES.includes(e.type as never) &&
    typeof e.time === 'string' &&
    typeof e.sender === 'string' &&
    typeof e.senderDomain === 'string' &&
    Array.isArray(e.recipients) &&
    Array.isArray(e.recipientDomains) &&
    typeof e.customHeaders === 'object';
  return ok ? (value as RelayEvent) : undefined;
}

/**
 * Posts each record of a batch in order. A record that fails is reported by id so that only it is retried;
 * the records after it are still attempted.
 */
export async function notifyBatch(records: readonly QueuedRecord[], deps: NotifyDeps): Promise<BatchOutcome> {
  const { logger, destination } = deps;
  const failedIds: string[] = [];
  for (const record of records) {
    const event = decodeQueuedEvent(record.body);
    if (!event) {
      logger.log('error', 'queued record is not a relay event', { destination, reason: 'malformed_record' });
      failedIds.push(record.id);
      continue;
    }
    const started = Date.now();
    try {
      const [sender, fingerprintKey] = await Promise.all([deps.sender(), deps.fingerprintKey()]);
      await sender.send(toAlertView(event, { destination, detail: deps.detail, fingerprintKey }));
      logger.log('info', 'posted alert', {
        destination,
        eventKey: event.key,
        eventType: event.type,
        durationMs: Date.now() - started,
      });
    } catch (error) {
      failedIds.push(record.id);
      logger.log('warn', 'alert not posted', {
        destination,
        eventKey: event.key,
        eventType: event.type,
        errorName: error instanceof Error ? error.name : typeof error,
        ...(error instanceof DeliveryError ? { reason: error.reason, status: error.status } : {}),
        // Says what is wrong with the stored URL, naming at most its host.
        ...(error instanceof DestinationUrlError ? { reason: `destination URL ${error.message}` } : {}),
      });
    }
  }
  return { failedIds };
}
