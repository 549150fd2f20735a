import { SNSClient } from '@aws-sdk/client-sns';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { snsPublisher } from '../ingest/sns-publisher';
import { DRAIN_SERVICE } from '../observability/metric-names';
import { powertoolsLogger } from '../observability/powertools-logger';
import { routingAttributes } from '../routing/filter-policy';
import { requireEnv } from '../aws/require-env';
import { decodeQueuedEvent } from '../paubox/relay-event';

/**
 * Drains the ingest fallback queue back into the topic. Events land there only when SNS refused them
 * at ingest; a record that still cannot be published is retried by SQS, then kept in the fallback DLQ.
 */
const publisher = snsPublisher(new SNSClient({}), requireEnv('TOPIC_ARN'));
const powertools = new PowertoolsLogger({ serviceName: DRAIN_SERVICE });
const logger = powertoolsLogger(powertools);

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) powertools.addContext(context);
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const relayEvent = decodeQueuedEvent(record.body);
    if (!relayEvent) {
      logger.log('error', 'fallback record is not a relay event', { reason: 'malformed_record' });
      failures.push({ itemIdentifier: record.messageId });
      continue;
    }
    try {
      await publisher.publish(relayEvent, routingAttributes(relayEvent));
      logger.log('info', 'republished event from the fallback queue', {
        eventKey: relayEvent.key,
        eventType: relayEvent.type,
      });
    } catch (error) {
      logger.log('warn', 'republish failed; will retry', {
        eventKey: relayEvent.key,
        errorName: (error as Error).name,
      });
      failures.push({ itemIdentifier: record.messageId });
    }
  }
  return { batchItemFailures: failures };
};
