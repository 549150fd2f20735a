import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetterSink } from '../delivery/dead-letters/dead-letter';
import { DEDUP_RETENTION_SECONDS, type DedupStore } from '../delivery/dedup/dedup-store';
import type { EventPublisher } from '../ingest/handle-webhook';
import type { PostPacer } from '../delivery/pacing/pacer';
import type { RoutingAttributes } from '../routing/filter-policy';

// The SDK packages are required when first used, not imported: every handler bundles this file, and imports would
// load every client package at cold start, including those a handler never calls (`npm run bench` measures it).
const sdk = {
  dynamodb: () => require('@aws-sdk/client-dynamodb') as typeof import('@aws-sdk/client-dynamodb'),
  secretsManager: () => require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager'),
  sns: () => require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns'),
  sqs: () => require('@aws-sdk/client-sqs') as typeof import('@aws-sdk/client-sqs'),
};

/** The de-duplication table's key of one destination's event; `paubox-relay test-destination` reads it too. */
export const dedupPk = (destination: string, key: string): string => `${destination}#${key}`;

/**
 * An SQS client made, and its package loaded, on the first call only: for paths taken when something failed
 * (the ingest fallback queue, dead letters), so that the usual path does not pay for them at cold start.
 */
export function sqsClientOnFirstUse(): () => SQSClient {
  let client: SQSClient | undefined;
  return () => (client ??= new (sdk.sqs().SQSClient)({}));
}

/** Secrets hold plain strings (a token, a webhook URL, a key). */
export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const result = await client.send(new (sdk.secretsManager().GetSecretValueCommand)({ SecretId: secretId }));
  if (result.SecretString === undefined) throw new Error('the secret has no string value');
  return result.SecretString.trim();
}

/** Publishes events to the topic with the attributes its subscriptions filter on. */
/** Routing attributes as SNS and SQS message attributes (the same shape for both). */
export function messageAttributes(attributes: RoutingAttributes): Record<string, { DataType: 'String'; StringValue: string }> {
  return Object.fromEntries(Object.entries(attributes).map(([name, value]: [string, string]) => [name, { DataType: 'String', StringValue: value }]));
}

export function snsPublisher(client: SNSClient, topicArn: string): EventPublisher {
  return {
    async publish(event, attributes) {
      await client.send(
        new (sdk.sns().PublishCommand)({
          TopicArn: topicArn,
          Message: JSON.stringify(event),
          MessageAttributes: messageAttributes(attributes),
        }),
      );
    },
  };
}

/**
 * De-duplication in DynamoDB: one item per destination and event key, written with conditions so that
 * two invocations can never both hold a live claim. Items expire through the table's TTL.
 */
export function dynamoDedupStore(client: DynamoDBClient, tableName: string, now: () => number = Date.now): DedupStore {
  const { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, UpdateItemCommand } = sdk.dynamodb();
  const pk = (destination: string, key: string) => ({ S: dedupPk(destination, key) });
  const expiresAt = () => ({ N: String(Math.floor(now() / 1000) + DEDUP_RETENTION_SECONDS) });
  return {
    async claim(destination, key, leaseMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: { pk: pk(destination, key), state: { S: 'sending' }, leaseUntil: { N: String(now() + leaseMs) }, expiresAt: expiresAt() },
            ConditionExpression: 'attribute_not_exists(pk) OR #state = :dead OR (#state = :sending AND leaseUntil < :now)',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':dead': { S: 'dead' }, ':sending': { S: 'sending' }, ':now': { N: String(now()) } },
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          }),
        );
        return 'claimed';
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        return error.Item?.state?.S === 'posted' ? 'done' : 'busy';
      }
    },
    async confirm(destination, key, state) {
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: pk(destination, key) },
          UpdateExpression: 'SET #state = :state, expiresAt = :expiresAt REMOVE leaseUntil',
          ExpressionAttributeNames: { '#state': 'state' },
          ExpressionAttributeValues: { ':state': { S: state }, ':expiresAt': expiresAt() },
        }),
      );
    },
    async release(destination, key) {
      try {
        await client.send(
          new DeleteItemCommand({
            TableName: tableName,
            Key: { pk: pk(destination, key) },
            ConditionExpression: '#state = :sending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':sending': { S: 'sending' } },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}

/** Attempts to reserve a slot against other notifiers reserving at the same moment before giving up for now. */
const PACER_MAX_RACES = 8;

/**
 * Send slots in the de-duplication table: one item per destination (`#pace#<destination>`; a `#` never starts
 * a de-duplication key) holding `nextAt`, the destination's next free instant. A reservation reads it and moves it
 * on with a condition that it has not changed meanwhile, so concurrent notifiers each get their own slot.
 * Lambda clocks are kept in sync by the service (NTP), to well under the one-second intervals involved.
 */
export function dynamoPacer(client: DynamoDBClient, tableName: string, now: () => number = Date.now): PostPacer {
  const { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } = sdk.dynamodb();
  const key = (destination: string) => ({ pk: { S: `#pace#${destination}` } });
  const expiresAt = () => ({ N: String(Math.floor(now() / 1000) + 24 * 3600) });
  return {
    async reserve(destination, intervalMs, latestStart) {
      for (let race = 0; race < PACER_MAX_RACES; race++) {
        const current = await client.send(new GetItemCommand({ TableName: tableName, Key: key(destination), ConsistentRead: true }));
        const previous = current?.Item?.nextAt?.N;
        const slot = Math.max(now(), previous === undefined ? 0 : Number(previous));
        if (slot > latestStart) return undefined;
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(destination),
              UpdateExpression: 'SET nextAt = :next, expiresAt = :expiresAt',
              ConditionExpression: previous === undefined ? 'attribute_not_exists(nextAt)' : 'nextAt = :previous',
              ExpressionAttributeValues: {
                ':next': { N: String(slot + intervalMs) },
                ':expiresAt': expiresAt(),
                ...(previous === undefined ? {} : { ':previous': { N: previous } }),
              },
            }),
          );
          return slot;
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
          // Another notifier reserved meanwhile: read again and take the slot after its.
        }
      }
      return undefined;
    },
    async holdUntil(destination, until) {
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(destination),
            UpdateExpression: 'SET nextAt = :until, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt < :until',
            ExpressionAttributeValues: { ':until': { N: String(until) }, ':expiresAt': expiresAt() },
          }),
        );
      } catch (error) {
        // A later slot is already reserved: nothing to push back.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}

/** Dead letters go to the destination's DLQ with the original body, so a redrive puts them back as they were. */
export function sqsDeadLetterSink(client: () => SQSClient, queueUrl: string): DeadLetterSink {
  const text = (value: string) => ({ DataType: 'String', StringValue: value });
  return {
    async put(letter) {
      await client().send(
        new (sdk.sqs().SendMessageCommand)({
          QueueUrl: queueUrl,
          MessageBody: letter.body,
          MessageAttributes: {
            reason: text(letter.reason),
            destination: text(letter.destination),
            event_key: text(letter.eventKey),
            event_type: text(letter.eventType),
            failed_at: text(letter.failedAt),
            ...(letter.status !== undefined ? { status: { DataType: 'Number', StringValue: String(letter.status) } } : {}),
          },
        }),
      );
    },
  };
}

/** Keeps an event in the fallback queue; the drainer republishes it to the topic. */
export function sqsFallbackPublisher(client: () => SQSClient, queueUrl: string): EventPublisher {
  return {
    async publish(event) {
      await client().send(new (sdk.sqs().SendMessageCommand)({ QueueUrl: queueUrl, MessageBody: JSON.stringify(event) }));
    },
  };
}
