import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../aws';
import type { ReplayStore } from './replay-store';

/**
 * What the interactivity function does in the relay table: a conditional put per request (replays), a silence
 * added or ended (updates), a rate alert read and saved compare-and-set (get, put).
 */
export const REPLAY_TABLE_ACTIONS = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem'] as const;

/** The table key of a seen signature: its hex digits, never the body it signs. */
export const replayPk = (signature: string): string => `#slack-sig#${signature}`;

/**
 * Seen signatures in the relay's table: a conditional put that fails when the item exists, so of two invocations
 * given the same request at once exactly one acts; the table's TTL removes the item once the request is stale.
 */
export function dynamoReplayStore(client: DynamoDBClient, tableName: string): ReplayStore {
  const { ConditionalCheckFailedException, PutItemCommand } = dynamodbSdk();
  return {
    async remember(signature, expiresAtMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: replayPk(signature) },
              expiresAt: { N: String(Math.ceil(expiresAtMs / 1000)) },
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return false;
        throw error;
      }
    },
  };
}
