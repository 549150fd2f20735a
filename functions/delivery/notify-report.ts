import { toReportView } from '../alerts/report-view';
import type { AlertSender } from '../chat/alert-sender';
import { decodeQueuedReport, looksLikeQueuedReport } from '../reports/queued-report';
import type { ClaimResult } from './dedup/dedup-store';
import { reasonOf } from './error-reason';
import { notifyBatch, type BatchOutcome, type NotifyDeps, type QueuedRecord, type RecordOutcome } from './notify-batch';
import { PacedSender } from './paced-sender';

/**
 * Posts report messages of a destination's queue as `notifyBatch` posts alerts: claim the report's key, send the
 * card with retries in the destination's send slots, confirm; a report that can never be posted is dead-lettered
 * with its reason, one that may be posted later is handed back (and dead-lettered on its last receive).
 */
export async function notifyReports(records: readonly QueuedRecord[], deps: NotifyDeps): Promise<BatchOutcome> {
  const outcomes: RecordOutcome[] = [];
  for (const record of records) outcomes.push(await notifyReport(record, deps));
  return { failedIds: outcomes.filter((o) => o.result === 'retry').map((o) => o.id), outcomes };
}

async function notifyReport(record: QueuedRecord, deps: NotifyDeps): Promise<RecordOutcome> {
  const destination = deps.destination.name;
  const { dedup, deadLetters } = deps.stores;
  const { logger } = deps.observability;
  const metric = deps.observability.metric ?? (() => undefined);
  const now = deps.delivery.now ?? Date.now;
  const report = decodeQueuedReport(record.body);
  const key = report?.key;
  const result = (r: Omit<RecordOutcome, 'id' | 'eventKey'>): RecordOutcome => ({ id: record.id, eventKey: key, ...r });

  const deadLetter = async (reason: string, attempts: number, rateLimited: number, status?: number) => {
    try {
      await deadLetters.put({
        destination,
        eventKey: key ?? 'unreadable',
        eventType: 'report',
        reason,
        ...(status !== undefined ? { status } : {}),
        failedAt: new Date(now()).toISOString(),
        body: record.body,
      });
    } catch (error) {
      logger.log('error', 'dead letter not stored; record left on the queue', {
        destination,
        eventKey: key,
        reason: reasonOf(error),
      });
      if (key !== undefined) await dedup.release(destination, key).catch(() => undefined);
      return result({ result: 'retry', reason, attempts, rateLimited });
    }
    if (key !== undefined) await dedup.confirm(destination, key, 'dead').catch(() => undefined);
    metric('DeadLetters', 1);
    logger.log('error', 'report dead-lettered', { destination, eventKey: key, eventType: 'report', reason, status });
    return result({ result: 'dead_lettered', reason, attempts, rateLimited });
  };
  const handBack = async (reason: string, attempts: number, rateLimited: number, notBeforeMs?: number) => {
    if (record.receiveCount >= deps.delivery.maxReceiveCount) return deadLetter(reason, attempts, rateLimited);
    if (key !== undefined) await dedup.release(destination, key).catch(() => undefined);
    logger.log('warn', 'report not posted yet; handed back to the queue', {
      destination,
      eventKey: key,
      reason,
      attempt: attempts,
    });
    return result({
      result: 'retry',
      reason,
      attempts,
      rateLimited,
      ...(notBeforeMs !== undefined ? { notBeforeMs } : {}),
    });
  };

  if (!report) return deadLetter('malformed_record', 0, 0);
  let claim: ClaimResult;
  try {
    claim = await dedup.claim(destination, report.key, deps.delivery.leaseMs);
  } catch (error) {
    logger.log('warn', 'could not claim report; will retry', { destination, eventKey: key, reason: reasonOf(error) });
    return result({ result: 'retry', reason: 'dedup_unavailable', attempts: 0, rateLimited: 0 });
  }
  if (claim === 'done') {
    metric('Duplicates', 1);
    logger.log('info', 'duplicate skipped', { destination, eventKey: key, eventType: 'report' });
    return result({ result: 'duplicate', attempts: 0, rateLimited: 0 });
  }
  if (claim === 'busy') return result({ result: 'retry', reason: 'claimed_elsewhere', attempts: 0, rateLimited: 0 });

  let sender: AlertSender;
  try {
    sender = await deps.platform.sender();
  } catch (error) {
    logger.log('warn', 'destination not usable', { destination, reason: reasonOf(error), count: 1 });
    return handBack(reasonOf(error), 0, 0);
  }
  const view = toReportView(report.summary, { key: report.key, destination, detail: deps.destination.detail });
  const started = now();
  const paced = new PacedSender(sender, {
    destination,
    budget: deps.delivery,
    ...(deps.pacing ? { pacing: deps.pacing } : {}),
    now,
    logger,
    metric,
  });
  const outcome =
    deps.delivery.remainingMs() < deps.delivery.sendTimeoutMs
      ? ({ kind: 'retry_later', attempts: 0, rateLimited: 0, reason: 'out_of_time' } as const)
      : await paced.deliver(view, record.receiveCount);
  switch (outcome.kind) {
    case 'posted': {
      await dedup.confirm(destination, report.key, 'posted').catch((error: unknown) =>
        logger.log('warn', 'posted, but the de-duplication record was not updated', {
          destination,
          eventKey: key,
          reason: reasonOf(error),
        }),
      );
      const message = outcome.unconfirmed ? 'report sent, reply timed out; not resent' : 'posted report';
      logger.log(outcome.unconfirmed ? 'warn' : 'info', message, {
        destination,
        eventKey: key,
        eventType: 'report',
        attempt: outcome.attempts,
        durationMs: now() - started,
      });
      const { attempts, rateLimited, unconfirmed } = outcome;
      return result({ result: 'posted', unconfirmed, attempts, rateLimited });
    }
    case 'dead':
      metric('DestinationBroken', 1);
      return deadLetter(outcome.reason, outcome.attempts, outcome.rateLimited, outcome.status);
    case 'retry_later':
      return handBack(outcome.reason, outcome.attempts, outcome.rateLimited, outcome.notBeforeMs);
  }
}

/**
 * A destination queue's batch, reports and alerts alike: reports are posted one by one, the events as
 * `notifyBatch` posts them; the outcomes come back in the records' order.
 */
export async function notifyQueue(records: readonly QueuedRecord[], deps: NotifyDeps): Promise<BatchOutcome> {
  const reports = records.filter((r) => looksLikeQueuedReport(r.body));
  if (reports.length === 0) return notifyBatch(records, deps);
  const events = records.filter((r) => !looksLikeQueuedReport(r.body));
  const ofEvents = await notifyBatch(events, deps);
  const ofReports = await notifyReports(reports, deps);
  const byId = new Map([...ofEvents.outcomes, ...ofReports.outcomes].map((o) => [o.id, o]));
  const outcomes = records.map((r) => byId.get(r.id)!);
  return { failedIds: outcomes.filter((o) => o.result === 'retry').map((o) => o.id), outcomes };
}
