import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { sqsSdk } from '../aws';
import type { Quarantine } from './consume-webhooks';

/**
 * Keeps an unreadable webhook in the ingest dead-letter queue, as it came (body and attributes) plus a `reason`
 * attribute, so an operator can see why and move it back once the cause is fixed.
 */
export function sqsQuarantine(client: () => SQSClient, queueUrl: string): Quarantine {
  return {
    async keep(record, reason) {
      const attributes: Record<string, MessageAttributeValue> = {};
      for (const [name, value] of Object.entries(record.messageAttributes)) {
        if (value?.stringValue !== undefined) attributes[name] = { DataType: 'String', StringValue: value.stringValue };
      }
      attributes.reason = { DataType: 'String', StringValue: reason };
      await client().send(
        new (sqsSdk().SendMessageCommand)({
          QueueUrl: queueUrl,
          MessageBody: record.body,
          MessageAttributes: attributes,
        }),
      );
    },
  };
}
