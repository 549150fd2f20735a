import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { EventPublisher } from './ingest-core';
import { ATTR_EVENT_TYPE, ATTR_SENDER_DOMAIN } from './routing';

/** Secrets hold plain strings (a token, a webhook URL, a key). */
export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const result = await client.send(new GetSecretValueCommand({ SecretId: secretId }));
  if (result.SecretString === undefined) throw new Error('the secret has no string value');
  return result.SecretString.trim();
}

/** Publishes events to the topic with the attributes its subscriptions filter on. */
export function snsPublisher(client: SNSClient, topicArn: string): EventPublisher {
  return {
    async publish(event, attributes) {
      await client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: JSON.stringify(event),
          MessageAttributes: {
            [ATTR_EVENT_TYPE]: { DataType: 'String', StringValue: attributes[ATTR_EVENT_TYPE] },
            [ATTR_SENDER_DOMAIN]: { DataType: 'String', StringValue: attributes[ATTR_SENDER_DOMAIN] },
          },
        }),
      );
    },
  };
}
