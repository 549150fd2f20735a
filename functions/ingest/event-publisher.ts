import type { RelayEvent } from '../paubox';
import type { RoutingAttributes } from '../routing';

/** Hands an accepted event on: SNS in AWS, the in-process fan-out locally. Rejects when it could not. */
export interface EventPublisher {
  publish(event: RelayEvent, attributes: RoutingAttributes): Promise<void>;
}
