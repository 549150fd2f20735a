import { systemClock, type Clock, type DeadLetterSink, notifyBatch, type QueuedRecord } from '../delivery';
import type { EventPublisher } from '../ingest';
import { buildNotifyDeps, MemoryPacer, type PostPacer, DEFAULT_MESSAGES_PER_SECOND, intervalMsOf } from '../delivery';
import type { HealthNotice, SendingNotice } from '../alerts';
import { decodeQueuedEvent, type RelayEvent } from '../paubox';
import { matchesFilterPolicy, type RoutingAttributes } from '../routing';
import type { JournalEntry } from './journal';
import type { LocalDestination, LocalFanoutOptions } from './fanout-options';

export type { LocalDestination, LocalFanoutOptions } from './fanout-options';

interface Pending extends QueuedRecord {
  readonly visibleAt: number;
  readonly key: string;
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
  /** The dead-letter sink, telling `onOutcome` of each letter as soon as it is kept, not after its batch. */
  private readonly deadLetters: DeadLetterSink;
  private stopping = false;
  private wakeUp: () => void = () => undefined;
  /** Resolves on stop(): cuts short every wait (batching window, send slot, retry backoff). */
  private readonly stopped = new Promise<void>((resolve) => {
    this.wakeUp = resolve;
  });

  constructor(private readonly options: LocalFanoutOptions) {
    this.queues = new Map(options.destinations.map((d) => [d.name, { pending: [] }]));
    this.deadLetters = {
      put: async (letter) => {
        await options.deadLetters.put(letter);
        options.onOutcome?.(letter.destination, { result: 'dead_lettered', reason: letter.reason });
      },
    };
    this.clock = options.clock ?? systemClock;
    this.pacer = options.pacer ?? new MemoryPacer(() => this.clock.now());
  }

  /**
   * With a journal, resolves only once the event is on disk: the webhook is answered 202 after that. Given
   * `accepted`, its deliveries start once that resolves, so the relay's `accepted event` line comes before theirs.
   */
  async publish(event: RelayEvent, attributes: RoutingAttributes, accepted?: Promise<void>): Promise<void> {
    if (this.stopping) throw new Error('the relay is stopping');
    const to = this.options.destinations.filter((d) => matchesFilterPolicy(d.policy, attributes));
    const names = to.map((d) => d.name);
    // Routed or not, the journal holds it until it is archived.
    await this.options.journal?.accept(event, names);
    if (to.length === 0) {
      // Accepted (and archived) all the same: say so, or a sample of an unrouted type seems lost.
      const { key: eventKey, type: eventType, senderDomain } = event;
      const fields = { eventKey, eventType, senderDomain };
      const tell = () => this.options.logger.log('info', 'not routed: no route of the configuration takes it', fields);
      if (accepted) void accepted.then(tell);
      else tell();
      return;
    }
    const body = JSON.stringify(event);
    const start = () => {
      for (const destination of to) {
        this.enqueue(destination, this.recordOf(event, body));
        this.options.observer?.queued(destination.name, event, 'routed');
      }
    };
    if (accepted) void accepted.then(start);
    else start();
  }

  /** Queues a notice for each named destination, as the deployed health function and rate check do on their queues. */
  postNotice(notice: HealthNotice | SendingNotice, targets: readonly string[]): void {
    const body = JSON.stringify(notice);
    for (const destination of this.options.destinations) {
      if (!targets.includes(destination.name)) continue;
      this.enqueue(destination, {
        id: `local-${++this.sequence}`,
        key: notice.key,
        body,
        receiveCount: 1,
        visibleAt: this.clock.now(),
      });
    }
  }

  /** Queues again what a journal says the destinations still wait for (at start, before any webhook). */
  replay(entries: readonly JournalEntry[]): void {
    const byName = new Map(this.options.destinations.map((d) => [d.name, d]));
    const unknown = new Map<string, number>();
    for (const { event, destinations, mayRepeat } of entries) {
      const body = JSON.stringify(event);
      for (const name of destinations) {
        const destination = byName.get(name);
        if (!destination) {
          unknown.set(name, (unknown.get(name) ?? 0) + 1);
          continue;
        }
        // Its post was on its way when the relay stopped: the alert says it may repeat that one.
        const marked = mayRepeat.includes(name) ? JSON.stringify({ ...event, mayRepeat: true }) : body;
        this.enqueue(destination, this.recordOf(event, marked));
        this.options.observer?.queued(destination.name, event, 'routed');
      }
    }
    // The last run may have posted to them a moment ago: their first post waits one interval, as a reply would.
    const resumed = new Set(entries.flatMap((e) => e.destinations));
    for (const destination of this.options.destinations) {
      if (!resumed.has(destination.name) || destination.sender.kind === 'console') continue;
      const rate = destination.messagesPerSecond ?? DEFAULT_MESSAGES_PER_SECOND[destination.sender.kind];
      void this.pacer.holdUntil(destination.name, this.clock.now() + intervalMsOf(rate)).catch(() => undefined);
    }
    for (const [destination, count] of unknown) {
      // Kept in the journal: they go out once the destination is configured again.
      this.options.logger.log('warn', 'alerts wait for a destination that is not configured', { destination, count });
    }
  }

  /**
   * Stops taking batches and cuts every wait short; posts not yet sent stay in the journal. Resolves when the
   * batches under way have ended, or after `graceMs` (a send already on the wire may then still land).
   */
  async stop(graceMs: number): Promise<void> {
    this.stopping = true;
    this.wakeUp();
    const running = [...this.queues.values()].map((q) => q.running).filter((r) => r !== undefined);
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, graceMs);
    });
    await Promise.race([Promise.all(running), grace]);
    clearTimeout(timer);
  }

  private recordOf(event: RelayEvent, body: string): Pending {
    return { id: `local-${++this.sequence}`, key: event.key, body, receiveCount: 1, visibleAt: this.clock.now() };
  }

  /** A wait that stop() cuts short. */
  private sleep(ms: number): Promise<void> {
    return this.stopping ? Promise.resolve() : Promise.race([this.clock.sleep(ms), this.stopped]);
  }

  /** Records a final outcome in the journal; one not written leaves the alert to be sent again at the next start. */
  private settle(destination: string, key: string, state: 'posted' | 'dead'): void {
    this.options.journal?.settle(destination, key, state).catch((error: unknown) => {
      this.options.logger.log('error', 'outcome not written to the journal; the alert may be sent again', {
        destination,
        eventKey: key,
        errorName: error instanceof Error ? error.name : typeof error,
      });
    });
  }

  /**
   * Puts a dead letter's body back on its destination's queue as a first receive, as SQS's message move task does.
   * False when no such destination or the body is not an event (it then stays a dead letter).
   */
  redrive(destinationName: string, body: string): boolean {
    const destination = this.options.destinations.find((d) => d.name === destinationName);
    const event = decodeQueuedEvent(body);
    if (!destination || !event) return false;
    // Journaled as accepted again, so that a stop before it is posted keeps it for the next start.
    this.options.journal?.accept(event, [destination.name], true).catch((error: unknown) => {
      this.options.logger.log('error', 'redriven alert not written to the journal', {
        destination: destination.name,
        eventKey: event.key,
        errorName: error instanceof Error ? error.name : typeof error,
      });
    });
    this.enqueue(destination, this.recordOf(event, body));
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
      await this.deadLetters.put({
        destination,
        eventKey: event?.key ?? 'unreadable',
        eventType: event?.type ?? 'unknown',
        reason,
        failedAt: new Date().toISOString(),
        body: record.body,
      });
      this.settle(destination, record.key, 'dead');
    } catch {
      // Left pending in the journal (sent again at the next start); say so rather than drop it silently.
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
    while (pending.length > 0 && !this.stopping) {
      const first = pending.reduce((a, b) => (b.visibleAt < a.visibleAt ? b : a));
      const wait = first.visibleAt + windowMs - clock.now();
      if (wait > 0) await this.sleep(wait);
      if (this.stopping) return;
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
      const { outcomes } = await notifyBatch(
        batch,
        buildNotifyDeps({
          destination: {
            name: destination.name,
            detail: destination.detail,
            timeZone: options.timeZone,
            digest: { minGroupSize: destination.digest.minGroupSize },
            messagesPerSecond: destination.messagesPerSecond,
          },
          enrichment: options.enrichment,
          silences: options.silences,
          inhibit: options.inhibit?.targets.includes(destination.name) ? { firing: options.inhibit.firing } : undefined,
          followUps: destination.followUps,
          platform: { sender: async () => destination.sender, fingerprintKey: async () => options.fingerprintKey },
          stores: { dedup: options.dedup, deadLetters: this.deadLetters, pacer: this.pacer },
          delivery: {
            policy: options.retryPolicy,
            // Once stopping, nothing more is sent: the posts left are handed back, and kept in the journal.
            remainingMs: () => (this.stopping ? -1 : deadline - clock.now()),
            sendTimeoutMs: options.sendTimeoutMs,
            maxReceiveCount: options.maxReceiveCount,
            leaseMs: options.invocationBudgetMs,
          },
          clock: { now: () => clock.now(), sleep: (ms) => this.sleep(ms) },
          observability: {
            logger: options.logger,
            metric: (name, value) => options.metric?.(destination.name, name, value),
          },
        }),
      );
      const observer = options.observer;
      for (const [i, outcome] of outcomes.entries()) {
        const record = batch[i]!;
        if (outcome.result !== 'retry') {
          this.settle(destination.name, record.key, outcome.result === 'dead_lettered' ? 'dead' : 'posted');
          observer?.settled(destination.name, outcome);
          // Dead letters were reported as they were kept.
          if (outcome.result !== 'dead_lettered') options.onOutcome?.(destination.name, outcome);
          continue;
        }
        // Stopping: the record stays pending in the journal for the next start.
        if (this.stopping) continue;
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
