import type { DeadLetterSink } from '../commons/dead-letters';
import type { DedupStore } from '../commons/dedup';
import { realSleep, type RetryPolicy } from '../commons/delivery';
import type { DetailLevel } from '../commons/detail-level';
import type { EventPublisher } from '../commons/ingest-core';
import type { Logger } from '../commons/logger';
import { notifyBatch, type NotifierMetric, type QueuedRecord } from '../commons/notify-core';
import { decodeQueuedEvent, type RelayEvent } from '../commons/relay-event';
import { matchesFilterPolicy, type FilterPolicy, type RoutingAttributes } from '../commons/routing';
import type { AlertSender } from '../commons/senders';

export interface LocalDestination {
  readonly name: string;
  readonly detail: DetailLevel;
  /** The same policy the stack gives this destination's SNS subscription. */
  readonly policy: FilterPolicy;
  readonly sender: AlertSender;
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
  /** Time budget of one "invocation" (one record), as the Lambda timeout. */
  readonly invocationBudgetMs: number;
  readonly metric?: (destination: string, name: NotifierMetric, value: number) => void;
}

interface Pending extends QueuedRecord {
  readonly visibleAt: number;
}

/**
 * The local stand-in for SNS → SQS → notifier: each destination gets its own ordered queue, fed by the
 * same filter policy and drained by the same `notifyBatch` as in AWS, with the same retry, de-duplication,
 * redelivery and dead-letter rules.
 */
export class LocalFanout implements EventPublisher {
  private readonly queues: Map<string, { pending: Pending[]; running?: Promise<void> }>;
  private sequence = 0;

  constructor(private readonly options: LocalFanoutOptions) {
    this.queues = new Map(options.destinations.map((d) => [d.name, { pending: [] }]));
  }

  async publish(event: RelayEvent, attributes: RoutingAttributes): Promise<void> {
    const body = JSON.stringify(event);
    for (const destination of this.options.destinations) {
      if (!matchesFilterPolicy(destination.policy, attributes)) continue;
      this.enqueue(destination, { id: `local-${++this.sequence}`, body, receiveCount: 1, visibleAt: 0 });
    }
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
      this.options.logger.log('error', 'record could not be kept as a dead letter', { destination, eventKey: event?.key, reason });
    }
  }

  private async drain(destination: LocalDestination, pending: Pending[]): Promise<void> {
    const { options } = this;
    while (pending.length > 0) {
      const next = pending.reduce((a, b) => (b.visibleAt < a.visibleAt ? b : a));
      const wait = next.visibleAt - Date.now();
      if (wait > 0) await realSleep(wait);
      pending.splice(pending.indexOf(next), 1);
      const deadline = Date.now() + options.invocationBudgetMs;
      const { outcomes } = await notifyBatch([next], {
        destination: destination.name,
        detail: destination.detail,
        sender: async () => destination.sender,
        fingerprintKey: async () => options.fingerprintKey,
        dedup: options.dedup,
        deadLetters: options.deadLetters,
        maxReceiveCount: options.maxReceiveCount,
        leaseMs: options.invocationBudgetMs,
        delivery: {
          policy: options.retryPolicy,
          remainingMs: () => deadline - Date.now(),
          sendTimeoutMs: options.sendTimeoutMs,
          sleep: realSleep,
          random: Math.random,
        },
        logger: options.logger,
        metric: (name, value) => options.metric?.(destination.name, name, value),
      });
      const outcome = outcomes[0]!;
      if (outcome.result !== 'retry') continue;
      if (next.receiveCount >= options.maxReceiveCount) {
        // What SQS's redrive policy does when the notifier itself could not dead-letter the record.
        await this.keepDeadLetter(destination.name, next, outcome.reason ?? 'max_receives_exceeded');
        continue;
      }
      const delay = Math.max(options.redeliveryDelayMs, outcome.notBeforeMs ?? 0);
      pending.push({ ...next, receiveCount: next.receiveCount + 1, visibleAt: Date.now() + delay });
    }
  }
}
