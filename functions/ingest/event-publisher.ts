import type { RelayEvent } from '../paubox/relay-event';
import type { RoutingAttributes } from '../routing/filter-policy';

/** Hands an accepted event on: SNS in AWS, the in-process fan-out locally. Rejects when it could not. */
export interface EventPublisher {
  publish(event: RelayEvent, attributes: RoutingAttributes): Promise<void>;
}
