import type { Logger } from '../observability/logger';
import type { RelayEvent } from '../paubox/relay-event';
import type { RoutingAttributes } from '../routing/filter-policy';
import type { IngestMetric } from './ingest-metric';

/** Hands an accepted event on: SNS in AWS, the in-process fan-out locally. Rejects when it could not. */
export interface EventPublisher {
  publish(event: RelayEvent, attributes: RoutingAttributes): Promise<void>;
}

/**
 * Tries the topic, then the fallback queue: an event is only reported lost (503) when neither kept it.
 * Paubox never retries, so a second durable place is worth the extra dependency.
 */
export function durablePublisher(
  primary: EventPublisher,
  fallback: EventPublisher,
  logger: Logger,
  metric: IngestMetric = () => undefined,
): EventPublisher {
  return {
    async publish(event, attributes) {
      try {
        await primary.publish(event, attributes);
      } catch (error) {
        logger.log('warn', 'topic refused the event; keeping it in the fallback queue', {
          eventKey: event.key,
          errorName: error instanceof Error ? error.name : typeof error,
          metric: 'FallbackUsed',
          count: 1,
        });
        metric('FallbackUsed', 1);
        await fallback.publish(event, attributes);
      }
    },
  };
}
