import type { SQSClient } from '@aws-sdk/client-sqs';
import { sqsSdk } from '../../aws';
import type { DeadLetterSink } from './dead-letter';

/** Dead letters go to the destination's DLQ with the original body, so a redrive puts them back as they were. */
export function sqsDeadLetterSink(client: () => SQSClient, queueUrl: string): DeadLetterSink {
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  return {
    async put(letter) {
      await client().send(
        new (sqsSdk().SendMessageCommand)({
          QueueUrl: queueUrl,
          MessageBody: letter.body,
          MessageAttributes: {
            reason: text(letter.reason),
            destination: text(letter.destination),
            event_key: text(letter.eventKey),
            event_type: text(letter.eventType),
            failed_at: text(letter.failedAt),
            ...(letter.status !== undefined
              ? { status: { DataType: 'Number', StringValue: String(letter.status) } }
              : {}),
          },
        }),
      );
    },
  };
}
