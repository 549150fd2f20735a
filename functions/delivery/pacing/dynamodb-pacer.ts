import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../../aws';
import { RELAY_TABLE, tableKey } from '../relay-table';
import type { PostPacer } from './pacer';

/** Attempts to reserve a slot against other notifiers reserving at the same moment before giving up for now. */
const PACER_MAX_RACES = 8;

/**
 * Send slots in the de-duplication table: one item per destination (`#pace#<destination>`; a `#` never starts
 * a de-duplication key) holding `nextAt`, the destination's next free instant. A reservation reads it and moves it
 * on with a condition that it has not changed meanwhile, so concurrent notifiers each get their own slot.
 * A 429 also moves `pausedUntil` on, which tells the notifiers that what they plan next is a backlog.
 * Lambda clocks are kept in sync by the service (NTP), to well under the one-second intervals involved.
 */
export function dynamoPacer(client: DynamoDBClient, tableName: string, now: () => number = Date.now): PostPacer {
  const { ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } = dynamodbSdk();
  const key = (destination: string) => tableKey(`#pace#${destination}`);
  const ttl = RELAY_TABLE.timeToLive;
  const expiresAt = () => ({ N: String(Math.floor(now() / 1000) + 24 * 3600) });
  return {
    async reserve(destination, intervalMs, latestStart) {
      for (let race = 0; race < PACER_MAX_RACES; race++) {
        const current = await client.send(
          new GetItemCommand({ TableName: tableName, Key: key(destination), ConsistentRead: true }),
        );
        const previous = current?.Item?.nextAt?.N;
        const slot = Math.max(now(), previous === undefined ? 0 : Number(previous));
        if (slot > latestStart) return undefined;
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(destination),
              UpdateExpression: `SET nextAt = :next, ${ttl} = :expiresAt`,
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
    async holdUntil(destination, until, rateLimited = false) {
      // Each only moved forward: holds that overlap make one, never added up.
      const moveOn = async (attribute: string) => {
        try {
          await client.send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(destination),
              UpdateExpression: `SET ${attribute} = :until, ${ttl} = :expiresAt`,
              ConditionExpression: `attribute_not_exists(${attribute}) OR ${attribute} < :until`,
              ExpressionAttributeValues: { ':until': { N: String(until) }, ':expiresAt': expiresAt() },
            }),
          );
        } catch (error) {
          if (!(error instanceof ConditionalCheckFailedException)) throw error;
        }
      };
      await moveOn('nextAt');
      if (rateLimited) await moveOn('pausedUntil');
    },
    async pausedUntil(destination) {
      const current = await client.send(
        new GetItemCommand({ TableName: tableName, Key: key(destination), ProjectionExpression: 'pausedUntil' }),
      );
      const until = current?.Item?.pausedUntil?.N;
      return until === undefined ? 0 : Number(until);
    },
  };
}
