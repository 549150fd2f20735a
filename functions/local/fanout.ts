import type { DetailLevel } from '../commons/detail-level';
import type { EventPublisher } from '../commons/ingest-core';
import type { Logger } from '../commons/logger';
import { notifyBatch } from '../commons/notify-core';
import type { RelayEvent } from '../commons/paubox-event';
import { matchesFilterPolicy, type FilterPolicy, type RoutingAttributes } from '../commons/routing';
import type { AlertSender } from '../commons/senders';

export interface LocalDestination {
  readonly name: string;
  readonly detail: DetailLevel;
  /** The same policy the stack gives this destination's SNS subscription. */
  readonly policy: FilterPolicy;
  readonly sender: AlertSender;
}

/**
 * The local stand-in for SNS → SQS → notifier: each destination gets its own ordered queue, fed by the
 * same filter policy and drained by the same `notifyBatch` as in AWS, from the same JSON the topic carries.
 */
export class LocalFanout implements EventPublisher {
  private readonly tails = new Map<string, Promise<void>>();
  private readonly inFlight = new Set<Promise<void>>();
  private sequence = 0;

  constructor(
    private readonly destinations: readonly LocalDestination[],
    private readonly fingerprintKey: string,
    private readonly logger: Logger,
  ) {}

  async publish(event: RelayEvent, attributes: RoutingAttributes): Promise<void> {
    const body = JSON.stringify(event);
    for (const destination of this.destinations) {
      if (!matchesFilterPolicy(destination.policy, attributes)) continue;
      const id = `local-${++this.sequence}`;
      const previous = this.tails.get(destination.name) ?? Promise.resolve();
      const tail = previous.then(() => this.deliver(destination, { id, body }));
      this.tails.set(destination.name, tail);
      this.inFlight.add(tail);
      void tail.finally(() => this.inFlight.delete(tail));
    }
  }

  /** Resolves once every event published so far has been handled. */
  async idle(): Promise<void> {
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async deliver(destination: LocalDestination, record: { id: string; body: string }): Promise<void> {
    await notifyBatch([record], {
      destination: destination.name,
      detail: destination.detail,
      sender: async () => destination.sender,
      fingerprintKey: async () => this.fingerprintKey,
      logger: this.logger,
    });
  }
}
