import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../../aws';
import { RELAY_TABLE, tableKey } from '../relay-table';
import { DEDUP_RETENTION_SECONDS, type DedupStore } from './dedup-store';

/** The de-duplication table's key of one destination's event; `paubox-relay test-destination` reads it too. */
export const dedupPk = (destination: string, key: string): string => `${destination}#${key}`;

/**
 * De-duplication in DynamoDB: one item per destination and event key, written with conditions so that
 * two invocations can never both hold a live claim. Items expire through the table's TTL.
 */
export function dynamoDedupStore(client: DynamoDBClient, tableName: string, now: () => number = Date.now): DedupStore {
  const { ConditionalCheckFailedException, DeleteItemCommand, PutItemCommand, UpdateItemCommand } = dynamodbSdk();
  const { partitionKey, timeToLive } = RELAY_TABLE;
  const itemKey = (destination: string, key: string) => tableKey(dedupPk(destination, key));
  const expiresAt = () => ({ N: String(Math.floor(now() / 1000) + DEDUP_RETENTION_SECONDS) });
  return {
    async claim(destination, key, leaseMs) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              ...itemKey(destination, key),
              state: { S: 'sending' },
              leaseUntil: { N: String(now() + leaseMs) },
              [timeToLive]: expiresAt(),
            },
            ConditionExpression: `attribute_not_exists(${partitionKey}) OR #state = :dead OR (#state = :sending AND leaseUntil < :now)`,
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: {
              ':dead': { S: 'dead' },
              ':sending': { S: 'sending' },
              ':now': { N: String(now()) },
            },
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
          Key: itemKey(destination, key),
          UpdateExpression: `SET #state = :state, ${timeToLive} = :expiresAt REMOVE leaseUntil`,
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
            Key: itemKey(destination, key),
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
