import { BrokenDestination, type DeadLetterSink, type QueuedRecord, SendGate } from '../delivery';
import { buildNotifyDeps, type Clock, type NotifyParts } from '../delivery';
import { DEFAULT_MESSAGES_PER_SECOND, intervalMsOf, slowAfterMs } from '../delivery';
import type { LocalDestination, LocalFanoutOptions } from './fanout-options';
import type { Logger } from '../observability';
import { decodeQueuedEvent } from '../paubox';

/** A record in a destination's local queue, as SQS holds a message. */
export interface Pending extends QueuedRecord {
  readonly visibleAt: number;
  readonly key: string;
  /** The message its event is about (in-order.ts); later events of it wait behind this one. */
  readonly message: string;
  /** Order of arrival in the relay. */
  readonly seq: number;
  readonly sentAt: number;
}

/**
 * Batches of one destination under way at once. A batch ends with its slowest reply, so one waiting for a reply
 * that times out must leave the next batches to go (one starts beside it once a reply is slow: send-gate.ts); the
 * pacer keeps them all to the destination's rate. In a storm, where replies are prompt, one batch takes everything.
 * More than the deployed event source's two: the local relay has no function concurrency to keep within.
 */
export const BATCHES_AT_ONCE = 8;

/**
 * Takes the next batch out of `pending`: the records visible at `now`, in the order they came, up to `size`. Left
 * out, so that a follow-up never overtakes its alert: a record whose message has an earlier record not visible yet
 * (handed back for its retry), or one in a batch under way (`busy`).
 */
export function takeBatch(pending: Pending[], now: number, size: number, busy: ReadonlySet<string>): Pending[] {
  const waiting = new Map<string, number>();
  for (const r of pending) {
    if (r.visibleAt > now) waiting.set(r.message, Math.min(r.seq, waiting.get(r.message) ?? r.seq));
  }
  const batch = pending
    .filter((r) => r.visibleAt <= now && !busy.has(r.message) && !(r.seq > (waiting.get(r.message) ?? Infinity)))
    .sort((a, b) => a.seq - b.seq)
    .slice(0, size);
  const taken = new Set(batch);
  const rest = pending.filter((r) => !taken.has(r));
  pending.length = 0;
  pending.push(...rest);
  return batch;
}

/**
 * When a batch may next be taken: once the earliest record's batching window has run; after that, when a record
 * held back behind its message's earlier one may go (the next record to become visible). Infinity when none waits.
 */
export function nextBatchAt(pending: readonly Pending[], now: number, windowMs: number): number {
  const readyAt = pending.reduce((at, r) => Math.min(at, r.visibleAt), Infinity) + windowMs;
  if (readyAt > now) return readyAt;
  const visibleNext = pending.reduce((min, r) => (r.visibleAt > now ? Math.min(min, r.visibleAt) : min), Infinity);
  return pending.some((r) => r.visibleAt <= now) ? now : visibleNext;
}

/** A destination's queue: its records, the drain under way, and how to wake it when a record comes. */
export interface LocalQueue {
  readonly pending: Pending[];
  running?: Promise<void> | undefined;
  readonly shared: Shared;
  arrived: () => void;
}

export function newQueue(shared: Shared): LocalQueue {
  return { pending: [], shared, arrived: () => undefined };
}

/** Resolves when a record is next queued (`enqueue` calls `arrived`). */
export function nextArrival(queue: LocalQueue): Promise<void> {
  return new Promise<void>((resolve) => {
    queue.arrived = resolve;
  });
}

/** What every batch of a destination shares: what its answers say, and how many posts may await a reply. */
export interface Shared {
  readonly broken: BrokenDestination;
  readonly gate: SendGate;
}

export function sharedByBatches(retryBrokenMs: number, now: () => number): Shared {
  return { broken: new BrokenDestination(retryBrokenMs, now), gate: new SendGate() };
}

/** A broken destination nothing probes is tried again after an hour, the default probe interval. */
export const DEFAULT_RETRY_BROKEN_MS = 3_600_000;

/**
 * What SQS's redrive policy does when the notifier itself could not dead-letter a record: keeps it as a dead letter.
 * False when it could not be kept: it is left pending in the journal (sent again at the next start), and said so.
 */
export async function keepDeadLetter(
  deadLetters: DeadLetterSink,
  destination: string,
  record: Pending,
  reason: string,
  logger: Logger,
): Promise<boolean> {
  const event = decodeQueuedEvent(record.body);
  try {
    await deadLetters.put({
      destination,
      eventKey: event?.key ?? 'unreadable',
      eventType: event?.type ?? 'unknown',
      reason,
      failedAt: new Date().toISOString(),
      body: record.body,
    });
    return true;
  } catch {
    logger.log('error', 'record could not be kept as a dead letter', { destination, eventKey: event?.key, reason });
    return false;
  }
}

/** The deps of one notifier run of a local destination's batch, as the deployed handler builds them. */
export function localNotifyDeps(
  options: LocalFanoutOptions,
  destination: LocalDestination,
  run: {
    readonly stores: NotifyParts['stores'];
    readonly shared: Shared;
    readonly remainingMs: () => number;
    readonly clock: Clock;
  },
) {
  const { name, detail, digest, messagesPerSecond, sender } = destination;
  return buildNotifyDeps({
    destination: {
      name,
      detail,
      timeZone: options.timeZone,
      digest: { minGroupSize: digest.minGroupSize },
      messagesPerSecond,
    },
    enrichment: options.enrichment,
    silences: options.silences,
    inhibit: options.inhibit?.targets.includes(name) ? { firing: options.inhibit.firing } : undefined,
    followUps: destination.followUps,
    platform: { sender: async () => sender, fingerprintKey: async () => options.fingerprintKey },
    stores: run.stores,
    delivery: {
      policy: options.retryPolicy,
      remainingMs: run.remainingMs,
      sendTimeoutMs: options.sendTimeoutMs,
      maxReceiveCount: options.maxReceiveCount,
      leaseMs: options.invocationBudgetMs,
      broken: run.shared.broken,
      gate: run.shared.gate,
    },
    clock: run.clock,
    random: options.random,
    observability: {
      logger: options.logger,
      metric: (metric, value) => options.metric?.(name, metric, value),
    },
  });
}

/** When a post to the destination under way turns slow (delivery's send gate): another batch may then start. */
export function slowAfterOf({ sender, messagesPerSecond }: LocalDestination): number {
  if (sender.kind === 'console') return slowAfterMs(0);
  return slowAfterMs(intervalMsOf(messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND[sender.kind]));
}

/**
 * A batch as the notifier receives it: on a first delivery, how long the record waited beyond the batching window,
 * as SQS's timestamps tell the deployed notifier.
 */
export function asReceived(batch: readonly Pending[], now: number, windowMs: number): QueuedRecord[] {
  return batch.map((r) => (r.receiveCount === 1 ? { ...r, waitedMs: Math.max(0, now - r.sentAt - windowMs) } : r));
}
