import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../../aws';
import { type SlackThread, type SlackThreadStore, THREAD_RETENTION_MS } from '../../chat';
import { RELAY_TABLE, tableKey } from '../relay-table';

/** The relay table's key of a destination's thread; the thread key is already a hash, never a message's own id. */
export const threadPk = (destination: string, key: string): string => `#thread#${destination}#${key}`;

/**
 * The threads of an app-mode destination in the relay's DynamoDB table: one item per thread, holding the channel,
 * the first message's `ts`, what it shows and when it began; deleted by the table's TTL a week after it was written.
 */
export function dynamoThreadStore(
  client: DynamoDBClient,
  tableName: string,
  now: () => number = Date.now,
): SlackThreadStore {
  const { GetItemCommand, PutItemCommand } = dynamodbSdk();
  return {
    async get(destination, key) {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: tableKey(threadPk(destination, key)), ConsistentRead: true }),
      );
      const expiresAt = Number(Item?.[RELAY_TABLE.timeToLive]?.N);
      // TTL deletes lag by up to days: an item past its time is gone for the relay too.
      if (!Item || !(expiresAt * 1000 > now())) return undefined;
      const channel = Item.channel?.S;
      const ts = Item.ts?.S;
      const state = Item.state?.S;
      if (channel === undefined || ts === undefined || state === undefined) return undefined;
      const firstAt = Number(Item.firstAt?.N);
      return { channel, ts, state, ...(Number.isFinite(firstAt) ? { firstAt } : {}) } satisfies SlackThread;
    },
    async put(destination, key, thread) {
      await client.send(
        new PutItemCommand({
          TableName: tableName,
          Item: {
            ...tableKey(threadPk(destination, key)),
            channel: { S: thread.channel },
            ts: { S: thread.ts },
            state: { S: thread.state },
            ...(thread.firstAt !== undefined ? { firstAt: { N: String(thread.firstAt) } } : {}),
            [RELAY_TABLE.timeToLive]: { N: String(Math.ceil((now() + THREAD_RETENTION_MS) / 1000)) },
          },
        }),
      );
    },
  };
}
