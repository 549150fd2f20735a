/**
 * A destination as deployed, simulated on the bench's clock: its SQS queue (visibility timeouts, receive counts, a
 * redrive to the dead-letter queue past maxReceiveCount) and the event source feeding its notifier (batches of up
 * to ten, at most two invocations at once, each in its own instance), every invocation running `notifyQueue` with
 * what the handler gives it, and handing its failed records back as the handler does (`retryVisibility`).
 */
import type { AlertSender } from '../functions/chat';
import { MAX_BATCH_SIZE, MAX_BATCH_SIZE_WITHOUT_WINDOW } from '../functions/config';
import { BrokenDestination } from '../functions/delivery';
import type { DeadLetter } from '../functions/delivery';
import type { DedupStore } from '../functions/delivery';
import { notifyBatch } from '../functions/delivery';
import type { PostPacer } from '../functions/delivery';
import { DEFAULT_RETRY_POLICY } from '../functions/delivery';
import { retryVisibility } from '../functions/delivery';
import { silentLogger } from '../functions/observability';
import { NOTIFIER_TIMEOUT } from '../lib/relay/chat-destination';
import type { SimulatedClock } from './simulated-clock';

/** The event source's maxConcurrency in the construct. */
const INVOCATIONS_AT_ONCE = 2;
/** The queue's visibility timeout: six notifier timeouts (no batching window). */
const VISIBILITY_TIMEOUT_MS = NOTIFIER_TIMEOUT.toMilliseconds() * 6;
/** The handler stops starting sends this long before its timeout. */
const SAFETY_MARGIN_MS = 2_000;
/** How often an idle poller asks the queue again; SQS long polling answers about as soon as a message comes. */
const POLL_MS = 20;
/** A broken destination is tried again after this long, as the handler's BROKEN_RETRY_MS. */
const BROKEN_RETRY_MS = 5 * 60_000;

interface Message {
  readonly id: string;
  readonly body: string;
  /** SentTimestamp. */
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
  /** Before its first receive (ApproximateFirstReceiveTimestamp − SentTimestamp). */
  waitedMs?: number;
}

export interface NotifierSimulationOptions {
  readonly clock: SimulatedClock;
  readonly sender: AlertSender;
  readonly dedup: DedupStore;
  readonly pacer: PostPacer;
  readonly messagesPerSecond: number;
  readonly sendTimeoutMs: number;
  readonly maxReceiveCount: number;
  readonly random: () => number;
}

export class NotifierSimulation {
  private readonly messages = new Map<string, Message>();
  private sequence = 0;
  /** Letters the notifier kept, and records SQS moved to the dead-letter queue without a reason. */
  readonly letters: DeadLetter[] = [];
  readonly redriven: string[] = [];

  constructor(private readonly options: NotifierSimulationOptions) {}

  /** SNS delivers the event to the destination's queue (raw message delivery: the JSON itself). */
  send(body: string): void {
    const id = `m-${++this.sequence}`;
    const now = this.options.clock.now();
    this.messages.set(id, { id, body, sentAt: now, receiveCount: 0, visibleAt: now });
  }

  /** Polls and invokes until `publishing` has ended and the queue is empty. */
  async run(publishing: Promise<unknown>): Promise<void> {
    let published = false;
    void publishing.then(() => (published = true));
    await Promise.all(
      Array.from({ length: INVOCATIONS_AT_ONCE }, async () => {
        const broken = new BrokenDestination(BROKEN_RETRY_MS, () => this.options.clock.now());
        while (!published || this.messages.size > 0) {
          const batch = this.receive(MAX_BATCH_SIZE_WITHOUT_WINDOW);
          if (batch.length === 0) await this.options.clock.sleep(POLL_MS);
          else await this.invoke(batch, broken);
        }
      }),
    );
  }

  /** A receive: visible messages, oldest first; one received past maxReceiveCount goes to the dead-letter queue. */
  private receive(max: number): Message[] {
    const now = this.options.clock.now();
    const batch: Message[] = [];
    for (const message of this.messages.values()) {
      if (batch.length >= max) break;
      if (message.visibleAt > now) continue;
      if (message.receiveCount >= this.options.maxReceiveCount) {
        this.messages.delete(message.id);
        this.redriven.push(message.body);
        continue;
      }
      message.receiveCount++;
      if (message.receiveCount === 1) message.waitedMs = now - message.sentAt;
      message.visibleAt = now + VISIBILITY_TIMEOUT_MS;
      batch.push(message);
    }
    return batch;
  }

  private async invoke(batch: readonly Message[], broken: BrokenDestination): Promise<void> {
    const { clock, sender, dedup, pacer } = this.options;
    const deadline = clock.now() + NOTIFIER_TIMEOUT.toMilliseconds() - SAFETY_MARGIN_MS;
    const { outcomes } = await notifyBatch(
      batch.map((m) => ({
        id: m.id,
        body: m.body,
        receiveCount: m.receiveCount,
        sentAt: m.sentAt,
        ...(m.receiveCount === 1 ? { waitedMs: m.waitedMs } : {}),
      })),
      {
        destination: { name: 'ops', detail: 'minimal' },
        platform: { sender: async () => sender, fingerprintKey: async () => 'bench-fingerprint-key' },
        stores: { dedup, deadLetters: { put: async (letter) => void this.letters.push(letter) } },
        delivery: {
          policy: DEFAULT_RETRY_POLICY,
          remainingMs: () => deadline - clock.now(),
          sendTimeoutMs: this.options.sendTimeoutMs,
          sleep: (ms) => clock.sleep(ms),
          random: this.options.random,
          maxReceiveCount: this.options.maxReceiveCount,
          leaseMs: deadline + SAFETY_MARGIN_MS - clock.now(),
          now: () => clock.now(),
          broken,
          leaveSlowReplies: true,
        },
        observability: { logger: silentLogger },
        // One post per event: the fake platform answers each event by its own plan.
        digest: { minGroupSize: MAX_BATCH_SIZE },
        pacing: { pacer, messagesPerSecond: this.options.messagesPerSecond },
      },
    );
    const delays = new Map(retryVisibility(outcomes).map((e) => [e.id, e.seconds]));
    for (const outcome of outcomes) {
      const message = this.messages.get(outcome.id)!;
      if (outcome.result !== 'retry') this.messages.delete(outcome.id);
      else {
        // Without a delay of its own, a record comes back after the queue's visibility timeout.
        const seconds = delays.get(outcome.id);
        if (seconds !== undefined) message.visibleAt = clock.now() + seconds * 1000;
      }
    }
  }
}
