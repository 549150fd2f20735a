import type { SNSClient } from '@aws-sdk/client-sns';
import { snsSdk, messageAttributes } from '../aws';
import type { EventPublisher } from './event-publisher';

/** Publishes events to the topic with the attributes its subscriptions filter on. */
export function snsPublisher(client: SNSClient, topicArn: string): EventPublisher {
  return {
    async publish(event, attributes) {
      await client.send(
        new (snsSdk().PublishCommand)({
          TopicArn: topicArn,
          Message: JSON.stringify(event),
          MessageAttributes: messageAttributes(attributes),
        }),
      );
    },
  };
}
