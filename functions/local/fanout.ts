import { systemClock, type Clock, type DeadLetterSink, messageOf, notifyBatch } from '../delivery';
import type { EventPublisher } from '../ingest';
import type { HealthNotice, SendingNotice } from '../alerts';
import { MemoryPacer, type PostPacer, DEFAULT_MESSAGES_PER_SECOND, intervalMsOf } from '../delivery';
import { decodeQueuedEvent, type RelayEvent } from '../paubox';
import { matchesFilterPolicy, type RoutingAttributes } from '../routing';
import type { JournalEntry } from './journal';
import {
  BATCHES_AT_ONCE,
  DEFAULT_RETRY_BROKEN_MS,
  asReceived,
  keepDeadLetter,
  localNotifyDeps,
  nextArrival,
  nextBatchAt,
  newQueue,
  sharedByBatches,
  slowAfterOf,
  takeBatch,
  type LocalQueue,
  type Pending,
  type Shared,
} from './local-queue';
import type { LocalDestination, LocalFanoutOptions } from './fanout-options';

export type { LocalDestination, LocalFanoutOptions } from './fanout-options';

/**
 * The local stand-in for SNS → SQS → notifier: each destination gets its own ordered queue, fed by the
 * same filter policy and drained by the same `notifyBatch` as in AWS, with the same batching window, digests,
 * rate limit, retry, de-duplication, redelivery and dead-letter rules. One consumer per destination.
 */
export class LocalFanout implements EventPublisher {
  private readonly queues: Map<string, LocalQueue>;
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
    const now = () => this.clock.now();
    const shared = () => sharedByBatches(options.retryBrokenMs ?? DEFAULT_RETRY_BROKEN_MS, now);
    this.queues = new Map(options.destinations.map((d) => [d.name, newQueue(shared())]));
    this.deadLetters = {
      put: async (letter) => {
        await options.deadLetters.put(letter);
        options.onOutcome?.(letter.destination, { result: 'dead_lettered', reason: letter.reason });
      },
    };
    this.clock = options.clock ?? systemClock;
    this.pacer = options.pacer ?? new MemoryPacer(now);
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
        this.enqueue(destination, this.recordOf(event.key, messageOf(event), body));
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
      this.enqueue(destination, this.recordOf(notice.key, notice.key, body));
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
        this.enqueue(destination, this.recordOf(event.key, messageOf(event), marked));
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

  private recordOf(key: string, message: string, body: string): Pending {
    const [seq, now] = [++this.sequence, this.clock.now()];
    return { id: `local-${seq}`, key, message, seq, body, receiveCount: 1, visibleAt: now, sentAt: now };
  }

  /** The silent probe found the destination working: alerts held back as it was known broken are sent again. */
  destinationWorks(name: string): void {
    this.queues.get(name)?.shared.broken.probedOk();
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
    this.enqueue(destination, this.recordOf(event.key, messageOf(event), body));
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
    // A drain waiting for a record's retry takes this one at once.
    queue.arrived();
    queue.running ??= this.drain(destination, queue).finally(() => {
      queue.running = undefined;
    });
  }

  /**
   * Like the SQS event source: once a record is visible, waits the batching window, then hands every visible
   * record (up to the batch size, oldest first) to one notifier run, up to BATCHES_AT_ONCE runs at once. Records
   * visible while runs are under way wait in the queue, and their window runs meanwhile.
   */
  private async drain(destination: LocalDestination, queue: LocalQueue): Promise<void> {
    const { pending, shared } = queue;
    const { clock } = this;
    const windowMs = destination.digest.windowSeconds * 1000;
    const slowAfter = slowAfterOf(destination);
    const running = new Set<Promise<void>>();
    const busy = new Set<string>();
    while ((pending.length > 0 || running.size > 0) && !this.stopping) {
      const now = clock.now();
      // Another batch only beside one held by a slow reply: in a storm, one batch takes everything pending.
      const freeAt = running.size === 0 ? now : running.size < BATCHES_AT_ONCE ? shared.gate.slowAt() : Infinity;
      const readyAt = Math.max(freeAt, nextBatchAt(pending, now, windowMs));
      const batch = readyAt <= now ? takeBatch(pending, now, destination.digest.batchSize, busy) : [];
      if (batch.length === 0) {
        // Nothing to take yet: wait for its time, for a held-back record's turn, or for a run's end.
        const later = pending.reduce((m, r) => (r.visibleAt > now ? Math.min(m, r.visibleAt) : m), Infinity);
        // A post sent later may turn slow: look again as soon as one could while records wait.
        const recheck = running.size > 0 && pending.length > 0 ? now + slowAfter : Infinity;
        const next = Math.min(readyAt > now ? readyAt : later, recheck);
        if (running.size === 0 && !Number.isFinite(next)) break;
        const arrival = nextArrival(queue);
        await Promise.race([...running, arrival, ...(Number.isFinite(next) ? [this.sleep(next - now)] : [])]);
        continue;
      }
      for (const r of batch) busy.add(r.message);
      const run: Promise<void> = this.runBatch(destination, pending, shared, batch).finally(() => {
        running.delete(run);
        for (const r of batch) busy.delete(r.message);
      });
      running.add(run);
    }
    await Promise.all(running);
  }

  /** One notifier run: its outcomes settle the records, or put them back on the queue for their next receive. */
  private async runBatch(
    destination: LocalDestination,
    pending: Pending[],
    shared: Shared,
    batch: Pending[],
  ): Promise<void> {
    const { options, clock } = this;
    const now = clock.now();
    const deadline = now + options.invocationBudgetMs;
    const { outcomes } = await notifyBatch(
      asReceived(batch, now, destination.digest.windowSeconds * 1000),
      localNotifyDeps(options, destination, {
        stores: { dedup: options.dedup, deadLetters: this.deadLetters, pacer: this.pacer },
        shared,
        // Once stopping, nothing more is sent: the posts left are handed back, and kept in the journal.
        remainingMs: () => (this.stopping ? -1 : deadline - clock.now()),
        clock: { now: () => clock.now(), sleep: (ms) => this.sleep(ms) },
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
        if (await keepDeadLetter(this.deadLetters, destination.name, record, reason, options.logger)) {
          this.settle(destination.name, record.key, 'dead');
        }
        observer?.settled(destination.name, { ...outcome, result: 'dead_lettered', reason });
        continue;
      }
      // A failed try comes back after its backoff (or Retry-After); anything else after the queue's own delay.
      const delay = outcome.notBeforeMs ?? options.redeliveryDelayMs;
      pending.push({ ...record, receiveCount: record.receiveCount + 1, visibleAt: clock.now() + delay });
      observer?.settled(destination.name, outcome, delay);
    }
  }
}
