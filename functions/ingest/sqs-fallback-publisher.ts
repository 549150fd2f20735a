import type { SQSClient } from '@aws-sdk/client-sqs';
import { sdk } from '../aws/lazy-sdk';
import type { EventPublisher } from './event-publisher';

/** Keeps an event in the fallback queue; the drainer republishes it to the topic. */
export function sqsFallbackPublisher(client: () => SQSClient, queueUrl: string): EventPublisher {
  return {
    async publish(event) {
      await client().send(new (sdk.sqs().SendMessageCommand)({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
    },
  };
}
