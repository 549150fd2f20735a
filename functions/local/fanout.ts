import { systemClock, type Clock } from '../delivery/clock';
import type { DigestConfig } from '../config/relay-config';
import type { DeadLetterSink } from '../delivery/dead-letters/dead-letter';
import type { DedupStore } from '../delivery/dedup/dedup-store';
import type { RetryPolicy } from '../delivery/retry';
import type { DetailLevel } from '../config/detail-levels';
import type { EventPublisher } from '../ingest/event-publisher';
import type { Logger } from '../observability/logger';
import { notifyBatch, type NotifierMetric, type NotifyEnrichment, type QueuedRecord } from '../delivery/notify-batch';
import { MemoryPacer, type PostPacer } from '../delivery/pacing';
import { decodeQueuedEvent, type RelayEvent } from '../paubox/relay-event';
import { matchesFilterPolicy, type FilterPolicy, type RoutingAttributes } from '../routing/filter-policy';
import type { AlertSender } from '../chat/alert-sender';
import type { RelayObserver } from './observer';

export interface LocalDestination {
  readonly name: string;
  readonly detail: DetailLevel;
  /** The same policy the stack gives this destination's SNS subscription. */
  readonly policy: FilterPolicy;
  readonly sender: AlertSender;
  /** Batching window, batch size and digest threshold, as the destination's SQS event source in AWS. */
  readonly digest: DigestConfig;
  /** @default the platform's (DEFAULT_MESSAGES_PER_SECOND) */
  readonly messagesPerSecond?: number;
}

export interface LocalFanoutOptions {
  readonly destinations: readonly LocalDestination[];
  readonly fingerprintKey: string;
  readonly logger: Logger;
  readonly dedup: DedupStore;
  readonly deadLetters: DeadLetterSink;
  readonly retryPolicy: RetryPolicy;
  readonly sendTimeoutMs: number;
  /** As the queue's maxReceiveCount in AWS. */
  readonly maxReceiveCount: number;
  /** As the queue's visibility timeout: how long a handed-back record waits before its next receive. */
  readonly redeliveryDelayMs: number;
  /** Time budget of one "invocation" (one batch), as the Lambda timeout. */
  readonly invocationBudgetMs: number;
  readonly metric?: (destination: string, name: NotifierMetric, value: number) => void;
  /** @default systemClock */
  readonly clock?: Clock;
  /** Rate limits of the destinations. @default a MemoryPacer on the clock */
  readonly pacer?: PostPacer;
  /** Why and how often messages failed. @default none */
  readonly enrichment?: NotifyEnrichment;
  /** `display.timeZone`. @default 'UTC' */
  readonly timeZone?: string;
  /** Told of each record queued and of each verdict (the inspector). */
  readonly observer?: RelayObserver;
}

interface Pending extends QueuedRecord {
  readonly visibleAt: number;
}

/**
 * The local stand-in for SNS → SQS → notifier: each destination gets its own ordered queue, fed by the
 * same filter policy and drained by the same `notifyBatch` as in AWS, with the same batching window, digests,
 * rate limit, retry, de-duplication, redelivery and dead-letter rules. One consumer per destination.
 */
export class LocalFanout implements EventPublisher {
  private readonly queues: Map<string, { pending: Pending[]; running?: Promise<void> }>;
  private sequence = 0;
  private readonly clock: Clock;
  private readonly pacer: PostPacer;

  constructor(private readonly options: LocalFanoutOptions) {
    this.queues = new Map(options.destinations.map((d) => [d.name, { pending: [] }]));
    this.clock = options.clock ?? systemClock;
    this.pacer = options.pacer ?? new MemoryPacer(() => this.clock.now());
  }

  async publish(event: RelayEvent, attributes: RoutingAttributes): Promise<void> {
    const body = JSON.stringify(event);
    for (const destination of this.options.destinations) {
      if (!matchesFilterPolicy(destination.policy, attributes)) continue;
      this.enqueue(destination, { id: `local-${++this.sequence}`, body, receiveCount: 1, visibleAt: this.clock.now() });
      this.options.observer?.queued(destination.name, event, 'routed');
    }
  }

  /**
   * Puts a dead letter's body back on its destination's queue as a first receive, as SQS's message move task does.
   * False when no such destination or the body is not an event (it then stays a dead letter).
   */
  redrive(destinationName: string, body: string): boolean {
    const destination = this.options.destinations.find((d) => d.name === destinationName);
    const event = decodeQueuedEvent(body);
    if (!destination || !event) return false;
    this.enqueue(destination, { id: `local-${++this.sequence}`, body, receiveCount: 1, visibleAt: this.clock.now() });
    this.options.observer?.queued(destination.name, event, 'redriven');
    return true;
  }

  /** Resolves once every event published so far has been posted, skipped as a duplicate, or dead-lettered. */
  async idle(): Promise<void> {
    for (;;) {
      const running = [...this.queues.values()].map((q) => q.running).filter((r) => r !== undefined);
      if (running.length === 0) return;
      await Promise.all(running);
    }
  }

  private enqueue(destination: LocalDestination, record: Pending): void {
    const queue = this.queues.get(destination.name)!;
    queue.pending.push(record);
    queue.running ??= this.drain(destination, queue.pending).finally(() => {
      queue.running = undefined;
    });
  }

  private async keepDeadLetter(destination: string, record: Pending, reason: string): Promise<void> {
    const event = decodeQueuedEvent(record.body);
    try {
      await this.options.deadLetters.put({
        destination,
        eventKey: event?.key ?? 'unreadable',
        eventType: event?.type ?? 'unknown',
        reason,
        failedAt: new Date().toISOString(),
        body: record.body,
      });
    } catch {
      // The local stand-in has nowhere else to keep it; say so rather than drop it silently.
      this.options.logger.log('error', 'record could not be kept as a dead letter', {
        destination,
        eventKey: event?.key,
        reason,
      });
    }
  }

  /**
   * Like the SQS event source: once a record is visible, waits the batching window, then hands every visible
   * record (up to the batch size, oldest first) to one notifier run. Records visible while a run is under way
   * wait in the queue, and their window runs meanwhile.
   */
  private async drain(destination: LocalDestination, pending: Pending[]): Promise<void> {
    const { options, clock } = this;
    const windowMs = destination.digest.windowSeconds * 1000;
    while (pending.length > 0) {
      const first = pending.reduce((a, b) => (b.visibleAt < a.visibleAt ? b : a));
      const wait = first.visibleAt + windowMs - clock.now();
      if (wait > 0) await clock.sleep(wait);
      const now = clock.now();
      const batch = pending
        .filter((r) => r.visibleAt <= now)
        .sort((a, b) => a.visibleAt - b.visibleAt)
        .slice(0, destination.digest.batchSize);
      const taken = new Set(batch);
      const rest = pending.filter((r) => !taken.has(r));
      pending.length = 0;
      pending.push(...rest);
      const deadline = now + options.invocationBudgetMs;
      const { outcomes } = await notifyBatch(batch, {
        destination: {
          name: destination.name,
          detail: destination.detail,
          ...(options.timeZone ? { timeZone: options.timeZone } : {}),
        },
        ...(options.enrichment ? { enrichment: options.enrichment } : {}),
        platform: { sender: async () => destination.sender, fingerprintKey: async () => options.fingerprintKey },
        stores: { dedup: options.dedup, deadLetters: options.deadLetters },
        delivery: {
          policy: options.retryPolicy,
          remainingMs: () => deadline - clock.now(),
          sendTimeoutMs: options.sendTimeoutMs,
          sleep: (ms) => clock.sleep(ms),
          random: Math.random,
          maxReceiveCount: options.maxReceiveCount,
          leaseMs: options.invocationBudgetMs,
          now: () => clock.now(),
        },
        observability: {
          logger: options.logger,
          metric: (name, value) => options.metric?.(destination.name, name, value),
        },
        digest: { minGroupSize: destination.digest.minGroupSize },
        pacing: {
          pacer: this.pacer,
          ...(destination.messagesPerSecond !== undefined ? { messagesPerSecond: destination.messagesPerSecond } : {}),
        },
      });
      const observer = options.observer;
      for (const [i, outcome] of outcomes.entries()) {
        const record = batch[i]!;
        if (outcome.result !== 'retry') {
          observer?.settled(destination.name, outcome);
          continue;
        }
        if (record.receiveCount >= options.maxReceiveCount) {
          // What SQS's redrive policy does when the notifier itself could not dead-letter the record.
          const reason = outcome.reason ?? 'max_receives_exceeded';
          await this.keepDeadLetter(destination.name, record, reason);
          observer?.settled(destination.name, { ...outcome, result: 'dead_lettered', reason });
          continue;
        }
        const delay = Math.max(options.redeliveryDelayMs, outcome.notBeforeMs ?? 0);
        pending.push({ ...record, receiveCount: record.receiveCount + 1, visibleAt: clock.now() + delay });
        observer?.settled(destination.name, outcome, delay);
      }
    }
  }
}
