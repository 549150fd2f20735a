import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../aws';
import { RELAY_TABLE, tableKey } from '../delivery';
import { SELF_TEST_RECORD_SECONDS, type SelfTestRecords } from './self-test-marker';

const itemKey = (nonce: string) => tableKey(`#selftest#${nonce}`);

/**
 * Self-tests read, in the relay's table: one small item per self-test, deleted by its time to live. The client is
 * made on first use, so that the consumer's cold start does not load the DynamoDB package for a rare event.
 */
export function dynamoSelfTestRecords(
  client: () => DynamoDBClient,
  tableName: string,
  now: () => number = Date.now,
): SelfTestRecords {
  return {
    async record(nonce) {
      const { PutItemCommand } = dynamodbSdk();
      const expiresAt = Math.floor(now() / 1000) + SELF_TEST_RECORD_SECONDS;
      await client().send(
        new PutItemCommand({
          TableName: tableName,
          Item: { ...itemKey(nonce), [RELAY_TABLE.timeToLive]: { N: String(expiresAt) } },
        }),
      );
    },
    async wasRead(nonce) {
      const { GetItemCommand } = dynamodbSdk();
      const found = await client().send(
        new GetItemCommand({ TableName: tableName, Key: itemKey(nonce), ConsistentRead: true }),
      );
      return found.Item !== undefined;
    },
  };
}
