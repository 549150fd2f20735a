import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../../aws';
import {
  countWithin,
  staleEntries,
  failureEntry,
  FAILURE_WINDOW_MS,
  MAX_FAILURES_KEPT,
  type FailureCounter,
} from './failure-counter';
import { RELAY_TABLE, tableKey } from '../relay-table';

/** The table key of a recipient's failures: the keyed fingerprint, never the address. */
export const failuresPk = (fingerprint: string): string => `#failures#${fingerprint}`;

/**
 * Failures in the relay's table (the one that de-duplicates): one item per recipient fingerprint holding a string
 * set of `<epoch seconds>:<event key>` entries. ADD to a set is idempotent, so a redelivered event is not counted
 * twice, and two notifiers can record at once. The item expires 24 h after its last failure; older entries are
 * removed when next seen. A set that reached {@link MAX_FAILURES_KEPT} is not grown (the condition fails).
 */
export function dynamoFailureCounter(
  client: DynamoDBClient,
  tableName: string,
  now: () => number = Date.now,
): FailureCounter {
  const { ConditionalCheckFailedException, UpdateItemCommand } = dynamodbSdk();
  const key = (fingerprint: string) => tableKey(failuresPk(fingerprint));
  return {
    async record(fingerprint, eventKey, atMs) {
      let entries: string[];
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key(fingerprint),
            UpdateExpression: `ADD failures :entry SET ${RELAY_TABLE.timeToLive} = :expiresAt`,
            ConditionExpression: 'attribute_not_exists(failures) OR size(failures) < :max',
            ExpressionAttributeValues: {
              ':entry': { SS: [failureEntry(eventKey, atMs)] },
              ':expiresAt': { N: String(Math.floor((now() + FAILURE_WINDOW_MS) / 1000) + 3600) },
              ':max': { N: String(MAX_FAILURES_KEPT) },
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        entries = Attributes?.failures?.SS ?? [];
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return MAX_FAILURES_KEPT;
        throw error;
      }
      const stale = staleEntries(entries);
      if (stale.length > 0) {
        // Best effort: an entry left behind is only ever counted for events in its own window.
        await client
          .send(
            new UpdateItemCommand({
              TableName: tableName,
              Key: key(fingerprint),
              UpdateExpression: 'DELETE failures :stale',
              ExpressionAttributeValues: { ':stale': { SS: stale } },
            }),
          )
          .catch(() => undefined);
      }
      return Math.max(1, countWithin(entries, atMs));
    },
  };
}
