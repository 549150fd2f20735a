import { toAlertView, toDigestView, type ChatView } from '../alerts/view';
import type { DeadLetterSink } from './dead-letters/dead-letter';
import type { DedupStore } from './dedup/dedup-store';
import { deliver, type DeliveryContext, type DeliveryOutcome } from './retry';
import { MAX_POSTS_PER_BATCH, planPosts, type PlannedPost } from '../alerts/plan-posts';
import type { DetailLevel } from '../config/destination-kinds';
import { DestinationUrlError } from '../errors';
import type { LogFields, Logger } from '../observability/logger';
import { DEFAULT_MESSAGES_PER_SECOND, intervalMsOf, type PostPacer } from './pacing/pacer';
import { decodeQueuedEvent, type RelayEvent } from '../paubox/relay-event';
import type { AlertSender } from '../chat/senders';

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
 * time from the event at Paubox to the platform accepting the post; `DigestsPosted` counts digest messages
 * (each also counts its events in `AlertsPosted` or `AlertsUnconfirmed`) and `DigestEvents` the events they carry.
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
  /** Digest messages posted (each also counts its events in AlertsPosted or AlertsUnconfirmed). */
  | 'DigestsPosted'
  /** Events posted as part of a digest. */
  | 'DigestEvents';

/** How a batch's events are grouped into digests. */
export interface DigestOptions {
  /** Groups of at least this many events become one digest; smaller ones are posted one by one. */
  readonly minGroupSize: number;
}

/** The destination's rate limit, shared with every other notifier through the pacer. */
export interface PacingOptions {
  readonly pacer: PostPacer;
  /** @default DEFAULT_MESSAGES_PER_SECOND of the destination's platform */
  readonly messagesPerSecond?: number;
}

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
  /** Group the batch's events into digests; without it, every event is posted on its own. */
  readonly digest?: DigestOptions;
  /** Pace the destination's posts; without it, posts are sent as fast as they come. */
  readonly pacing?: PacingOptions;
  /** The clock of the pacing. @default Date.now */
  readonly now?: () => number;
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
  /** Set when the event was posted in a digest (attempts and rateLimited are then the digest's). */
  readonly digestKey?: string;
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

/** DynamoDB and SQS calls made at once for a batch's events (claims, confirmations, dead letters). */
const STORE_CONCURRENCY = 25;

async function inPool<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await work(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** An event of the batch that this invocation may post: its key is claimed. */
interface Claimed {
  readonly record: QueuedRecord;
  readonly event: RelayEvent;
  /** Its position in the batch, to keep posts in the order events arrived. */
  readonly index: number;
}

/** A decoded record, with the other records of the batch that carry the same event. */
interface Decoded extends Claimed {
  readonly copies: QueuedRecord[];
}

/**
 * Posts a batch of records, exactly once per destination and event: claim every event → group them into posts
 * (lone alerts, or digests when `digest` is set) → send each post with retries, paced by `pacing` → confirm every
 * event of a post that went out, or release those of one that certainly did not. A record that can never be
 * posted goes to the dead letters with its reason at once, event by event; one that may succeed later is handed
 * back to the queue, and dead-lettered on its last receive. Nothing is dropped: every record ends posted (alone
 * or in a digest), a known duplicate, dead-lettered, or retried.
 *
 * A redelivered batch may hold events already posted: their claims answer `done` and they are skipped, so a
 * digest never counts an event twice; events another invocation holds (`busy`) are handed back, not posted.
 */
export async function notifyBatch(records: readonly QueuedRecord[], deps: NotifyDeps): Promise<BatchOutcome> {
  const { logger, destination, dedup } = deps;
  const metric = deps.metric ?? (() => undefined);
  const now = deps.now ?? Date.now;
  const results = new Map<QueuedRecord, RecordOutcome>();
  const lastReceive = (record: QueuedRecord): boolean => record.receiveCount >= deps.maxReceiveCount;

  const deadLetter = async (
    record: QueuedRecord,
    event: RelayEvent | undefined,
    reason: string,
    attempts: number,
    rateLimited: number,
    status?: number,
  ): Promise<RecordOutcome> => {
    try {
      await deps.deadLetters.put({
        destination,
        eventKey: event?.key ?? 'unreadable',
        eventType: event?.type ?? 'unknown',
        reason,
        ...(status !== undefined ? { status } : {}),
        failedAt: new Date(now()).toISOString(),
        body: record.body,
      });
    } catch (error) {
      // Could not keep it: leave it on the queue rather than lose it.
      logger.log('error', 'dead letter not stored; record left on the queue', { destination, eventKey: event?.key, reason: reasonOf(error) });
      if (event) await dedup.release(destination, event.key).catch(() => undefined);
      return { id: record.id, eventKey: event?.key, result: 'retry', reason, attempts, rateLimited };
    }
    // The letter is kept: handing the record back now would keep it twice. A claim left unconfirmed expires with
    // its lease, which leaves the key claimable by a redrive, as a confirmed dead one is.
    if (event) {
      await dedup.confirm(destination, event.key, 'dead').catch((error: unknown) =>
        logger.log('warn', 'dead-lettered, but the de-duplication record was not updated', { destination, eventKey: event.key, reason: reasonOf(error) }),
      );
    }
    metric('DeadLetters', 1);
    logger.log('error', 'alert dead-lettered', { destination, eventKey: event?.key, eventType: event?.type, reason, status });
    return { id: record.id, eventKey: event?.key, result: 'dead_lettered', reason, attempts, rateLimited };
  };

  /** A send that certainly did not post: dead-letter on the last receive, else release and hand back. */
  const handBack = async (
    item: Claimed,
    reason: string,
    extra: { attempts: number; rateLimited: number; notBeforeMs?: number },
  ): Promise<RecordOutcome> => {
    if (lastReceive(item.record)) return deadLetter(item.record, item.event, reason, extra.attempts, extra.rateLimited);
    await dedup.release(destination, item.event.key).catch(() => undefined);
    return {
      id: item.record.id,
      eventKey: item.event.key,
      result: 'retry',
      reason,
      attempts: extra.attempts,
      rateLimited: extra.rateLimited,
      ...(extra.notBeforeMs !== undefined ? { notBeforeMs: extra.notBeforeMs } : {}),
    };
  };

  // Decode; a record carrying an event already in the batch follows that event's fate.
  const decoded: Decoded[] = [];
  const byKey = new Map<string, Decoded>();
  for (const [index, record] of records.entries()) {
    const event = decodeQueuedEvent(record.body);
    if (!event) {
      results.set(record, await deadLetter(record, undefined, 'malformed_record', 0, 0));
      continue;
    }
    const first = byKey.get(event.key);
    if (first) first.copies.push(record);
    else {
      const item: Decoded = { record, event, index, copies: [] };
      byKey.set(event.key, item);
      decoded.push(item);
    }
  }

  // Claim every event before anything is posted.
  const claimed: Claimed[] = [];
  await inPool(decoded, STORE_CONCURRENCY, async (item) => {
    const { record, event } = item;
    let claim;
    try {
      claim = await dedup.claim(destination, event.key, deps.leaseMs);
    } catch (error) {
      logger.log('warn', 'could not claim event; will retry', { destination, eventKey: event.key, reason: reasonOf(error) });
      results.set(record, { id: record.id, eventKey: event.key, result: 'retry', reason: 'dedup_unavailable', attempts: 0, rateLimited: 0 });
      return;
    }
    if (claim === 'done') {
      metric('Duplicates', 1);
      logger.log('info', 'duplicate skipped', { destination, eventKey: event.key, eventType: event.type });
      results.set(record, { id: record.id, eventKey: event.key, result: 'duplicate', attempts: 0, rateLimited: 0 });
    } else if (claim === 'busy') {
      results.set(record, { id: record.id, eventKey: event.key, result: 'retry', reason: 'claimed_elsewhere', attempts: 0, rateLimited: 0 });
    } else {
      claimed.push(item);
    }
  });
  claimed.sort((a, b) => a.index - b.index);

  if (claimed.length > 0) {
    let sender: AlertSender | undefined;
    let fingerprintKey = '';
    try {
      [sender, fingerprintKey] = await Promise.all([deps.sender(), deps.fingerprintKey()]);
    } catch (error) {
      const reason = reasonOf(error);
      logger.log('warn', 'destination not usable', {
        destination,
        // Says what is wrong with the stored URL, naming at most its host.
        reason: error instanceof DestinationUrlError ? `destination URL ${error.message}` : reason,
        count: claimed.length,
      });
      await inPool(claimed, STORE_CONCURRENCY, async (item) => {
        results.set(item.record, await handBack(item, reason, { attempts: 0, rateLimited: 0 }));
      });
    }
    if (sender) {
      const poster = postingContext(sender, deps, now, metric);
      const posts: PlannedPost<Claimed>[] = deps.digest
        ? planPosts(claimed, (item) => item.event, { minGroupSize: deps.digest.minGroupSize, maxPosts: poster.maxPosts() })
        : claimed.map((item) => ({ kind: 'single', items: [item] }));
      for (const post of posts) {
        const view: ChatView =
          post.kind === 'single'
            ? toAlertView(post.items[0]!.event, { destination, detail: deps.detail, fingerprintKey })
            : toDigestView(post.items.map((item) => item.event), { destination, detail: deps.detail, fingerprintKey });
        const started = now();
        const outcome: DeliveryOutcome =
          deps.delivery.remainingMs() < deps.delivery.sendTimeoutMs
            ? { kind: 'retry_later', attempts: 0, rateLimited: 0, reason: 'out_of_time' }
            : await poster.deliver(view, post.kind === 'single' ? { eventKey: post.items[0]!.event.key } : { digestKey: view.key });
        await settlePost(post, view, outcome, now() - started);
      }
    }
  }

  async function settlePost(post: PlannedPost<Claimed>, view: ChatView, outcome: DeliveryOutcome, durationMs: number): Promise<void> {
    const { attempts, rateLimited } = outcome;
    const digestKey = post.kind === 'digest' ? view.key : undefined;
    const count = post.items.length;
    const logFields = (item: Claimed) => ({ destination, eventKey: item.event.key, eventType: item.event.type });
    switch (outcome.kind) {
      case 'posted': {
        await inPool(post.items, STORE_CONCURRENCY, async (item) => {
          await dedup.confirm(destination, item.event.key, 'posted').catch((error: unknown) =>
            logger.log('warn', 'posted, but the de-duplication record was not updated', { ...logFields(item), reason: reasonOf(error) }),
          );
          results.set(item.record, {
            id: item.record.id,
            eventKey: item.event.key,
            result: 'posted',
            unconfirmed: outcome.unconfirmed,
            attempts,
            rateLimited,
            ...(digestKey !== undefined ? { digestKey } : {}),
          });
        });
        metric(outcome.unconfirmed ? 'AlertsUnconfirmed' : 'AlertsPosted', count);
        // Only a confirmed post has a known acceptance time. One value per post: for a digest, its oldest event's
        // delay, which is what the delay alarm (on the maximum) is about. Unreadable or future times are skipped.
        if (!outcome.unconfirmed) {
          const delays = post.items.map((item) => now() - Date.parse(item.event.time)).filter(Number.isFinite);
          if (delays.length > 0) metric('EndToEndDelay', Math.max(0, ...delays));
        }
        const level = outcome.unconfirmed ? 'warn' : 'info';
        if (digestKey === undefined) {
          logger.log(level, outcome.unconfirmed ? 'alert sent, reply timed out; not resent' : 'posted alert', {
            ...logFields(post.items[0]!),
            attempt: attempts,
            durationMs,
          });
          return;
        }
        metric('DigestsPosted', 1);
        metric('DigestEvents', count);
        logger.log(level, outcome.unconfirmed ? 'digest sent, reply timed out; not resent' : 'posted digest', {
          destination,
          digestKey,
          count,
          attempt: attempts,
          durationMs,
        });
        // One line per event, so that any event can be traced to the digest that showed it.
        for (const item of post.items) logger.log('info', 'alert posted in digest', { ...logFields(item), digestKey });
        return;
      }
      case 'dead':
        metric('DestinationBroken', 1);
        await inPool(post.items, STORE_CONCURRENCY, async (item) => {
          results.set(item.record, await deadLetter(item.record, item.event, outcome.reason, attempts, rateLimited, outcome.status));
        });
        return;
      case 'retry_later':
        await inPool(post.items, STORE_CONCURRENCY, async (item) => {
          results.set(item.record, await handBack(item, outcome.reason, { attempts, rateLimited, notBeforeMs: outcome.notBeforeMs }));
        });
        logger.log('warn', digestKey === undefined ? 'alert not posted yet; handed back to the queue' : 'digest not posted yet; its events are handed back to the queue', {
          destination,
          ...(digestKey === undefined ? { eventKey: post.items[0]!.event.key } : { digestKey, count }),
          reason: outcome.reason,
          attempt: attempts,
        });
        return;
    }
  }

  // Copies of an event in the same batch: skipped once it is posted or dead-lettered, else handed back with it.
  for (const item of decoded) {
    const primary = results.get(item.record)!;
    for (const copy of item.copies) {
      if (primary.result === 'retry') {
        results.set(copy, { id: copy.id, eventKey: item.event.key, result: 'retry', reason: primary.reason, attempts: 0, rateLimited: 0 });
      } else {
        metric('Duplicates', 1);
        logger.log('info', 'duplicate skipped', { destination, eventKey: item.event.key, eventType: item.event.type });
        results.set(copy, { id: copy.id, eventKey: item.event.key, result: 'duplicate', attempts: 0, rateLimited: 0 });
      }
    }
  }

  const outcomes = records.map((record) => results.get(record)!);
  const deferred = outcomes.filter((o) => o.result === 'retry').length;
  if (deferred > 0) metric('AlertsDeferred', deferred);
  return { failedIds: outcomes.filter((o) => o.result === 'retry').map((o) => o.id), outcomes };
}

/** Sends views to the destination with retries, waiting for a send slot before each attempt when paced. */
export function postingContext(
  sender: AlertSender,
  deps: NotifyDeps,
  now: () => number,
  metric: (name: NotifierMetric, value: number) => void,
): { maxPosts(): number; deliver(view: ChatView, about: LogFields): Promise<DeliveryOutcome> } {
  const { destination, logger } = deps;
  const { remainingMs, sendTimeoutMs, sleep } = deps.delivery;
  const pacer = sender.kind === 'console' ? undefined : deps.pacing?.pacer;
  const intervalMs =
    sender.kind === 'console' ? 0 : intervalMsOf(deps.pacing?.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND[sender.kind]);

  const waitForSlot = async (): Promise<boolean> => {
    let slot: number | undefined;
    try {
      slot = await pacer!.reserve(destination, intervalMs, now() + remainingMs() - sendTimeoutMs);
    } catch (error) {
      logger.log('warn', 'could not reserve a send slot; will retry', { destination, reason: reasonOf(error) });
      return false;
    }
    if (slot === undefined) return false;
    const wait = slot - now();
    if (wait > 0) await sleep(wait);
    return true;
  };

  return {
    maxPosts() {
      if (!pacer) return MAX_POSTS_PER_BATCH;
      const fit = Math.floor(Math.max(0, remainingMs() - sendTimeoutMs) / intervalMs) + 1;
      return Math.min(MAX_POSTS_PER_BATCH, fit);
    },
    async deliver(view, about) {
      const outcome = await deliver(
        async () => {
          try {
            await sender.send(view);
          } finally {
            // Also one interval after this post's reply: had the request been slow to arrive, the next one, sent
            // on its slot, could otherwise reach the platform less than an interval after it.
            if (pacer) await pacer.holdUntil(destination, now() + intervalMs).catch(() => undefined);
          }
        },
        {
          ...deps.delivery,
          ...(pacer
            ? {
                waitForSlot,
                // Every notifier of the destination waits out the platform's Retry-After, not only this one.
                onRateLimited: (waitMs: number) => pacer.holdUntil(destination, now() + waitMs).catch(() => undefined),
              }
            : {}),
          onRetry: (error, attempt, delayMs) => {
            metric('Retries', 1);
            logger.log('info', 'retrying alert', { destination, ...about, reason: error.reason, attempt, durationMs: delayMs });
          },
        },
      );
      if (outcome.rateLimited > 0) metric('RateLimited', outcome.rateLimited);
      return outcome;
    },
  };
}
