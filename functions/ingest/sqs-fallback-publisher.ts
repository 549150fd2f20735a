import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsSdk } from '../aws/lazy-sdk';
import type { EventPublisher } from './event-publisher';

/** Keeps an event in the fallback queue; the drainer republishes it to the topic. */
export function sqsFallbackPublisher(client: () => SQSClient, queueUrl: string): EventPublisher {
  return {
    async publish(event) {
      await client().send(
        new (sqsSdk().SendMessageCommand)({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }),
      );
    },
  };
}
