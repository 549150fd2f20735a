import type { MessageAttributeValue, SQSClient } from '@aws-sdk/client-sqs';
import { sqsSdk } from '../../aws';
import type { Quarantine, QuarantinedWebhook } from './quarantine';

/** The message attribute that says why a webhook was kept. */
const REASON = 'reason';

/**
 * Keeps an unreadable webhook in the ingest dead-letter queue, as it came (body and attributes) plus a `reason`
 * attribute, so an operator can see why and move it back once the cause is fixed. Lists the queue from its
 * messages' attributes, received with a visibility timeout of 0 so they stay where they are; bodies are never
 * looked at.
 */
export function sqsQuarantine(client: () => SQSClient, queueUrl: string): Quarantine {
  return {
    async keep(webhook, reason) {
      const attributes: Record<string, MessageAttributeValue> = {};
      for (const [name, value] of Object.entries(webhook.attributes ?? {})) {
        if (value?.stringValue !== undefined) attributes[name] = { DataType: 'String', StringValue: value.stringValue };
      }
      attributes[REASON] = { DataType: 'String', StringValue: reason };
      const { MessageId } = await client().send(
        new (sqsSdk().SendMessageCommand)({
          QueueUrl: queueUrl,
          MessageBody: webhook.body.toString('utf8'),
          MessageAttributes: attributes,
        }),
      );
      return MessageId ?? 'unknown';
    },

    async list(max = 100) {
      const seen = new Map<string, QuarantinedWebhook>();
      for (let idle = 0; seen.size < max && idle < 3; ) {
        const { Messages } = await client().send(
          new (sqsSdk().ReceiveMessageCommand)({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            VisibilityTimeout: 0,
            WaitTimeSeconds: 0,
            MessageAttributeNames: [REASON],
            MessageSystemAttributeNames: ['SentTimestamp'],
          }),
        );
        const before = seen.size;
        for (const m of Messages ?? []) {
          if (!m.MessageId) continue;
          const sent = Number(m.Attributes?.SentTimestamp ?? '0');
          seen.set(m.MessageId, {
            id: m.MessageId,
            receivedAt: new Date(sent).toISOString(),
            reason: m.MessageAttributes?.[REASON]?.StringValue ?? 'unknown',
            bytes: Buffer.byteLength(m.Body ?? ''),
          });
        }
        idle = seen.size === before ? idle + 1 : 0;
      }
      return [...seen.values()];
    },
  };
}
