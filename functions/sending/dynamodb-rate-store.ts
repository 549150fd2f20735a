import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../aws';
import type { RateAlertState, RateStore } from './rate-store';
import { addCounts, NO_COUNTS, type RateCounts } from './rate-window';

/** The table key of one sender domain's bucket; a domain never holds `#`, so keys cannot collide. */
export const rateBucketPk = (senderDomain: string, bucket: number): string => `#rate#${senderDomain}#${bucket}`;
/** The table key of a sender domain's alert state. */
export const rateAlertPk = (senderDomain: string): string => `#rate-alert#${senderDomain}`;
/** Attributes of a bucket item that count hard bounces by recipient domain: `to:<domain>`. */
const TO_PREFIX = 'to:';
/** A firing alert's item outlives the longest window by far; one left behind vanishes. */
const ALERT_RETENTION_SECONDS = 30 * 86_400;

const number = (value: AttributeValue | undefined): number => Number(value?.N ?? '0');

function countsOf(item: Record<string, AttributeValue>): RateCounts {
  const byDomain: Record<string, number> = {};
  for (const [name, value] of Object.entries(item)) {
    if (name.startsWith(TO_PREFIX)) byDomain[name.slice(TO_PREFIX.length)] = number(value);
  }
  return {
    delivered: number(item.delivered),
    hard: number(item.hard),
    soft: number(item.soft),
    hardByRecipientDomain: byDomain,
  };
}

/**
 * A domain's alert state in the relay's table: what a notifier folding a firing domain's failures reads. Apart from
 * {@link dynamoRateStore}, so that a notifier's bundle holds no more.
 */
export function dynamoRateAlertOf(client: DynamoDBClient, tableName: string): RateStore['alertOf'] {
  const { GetItemCommand } = dynamodbSdk();
  return async (senderDomain) => {
    const { Item } = await client.send(
      new GetItemCommand({ TableName: tableName, Key: { pk: { S: rateAlertPk(senderDomain) } }, ConsistentRead: true }),
    );
    if (!Item) return { version: 0 };
    const state = Item.state?.S === undefined ? undefined : (JSON.parse(Item.state.S) as RateAlertState);
    return { ...(state ? { state } : {}), version: number(Item.version) };
  };
}

/**
 * Bounce-rate counters in the relay's table: one item per sender domain and bucket, added to with `ADD` (atomic, so
 * every ingest invocation counts at once) and expired by the table's TTL once the bucket has left every window. A
 * domain's alert state is one item written compare-and-set on its `version`.
 */
export function dynamoRateStore(client: DynamoDBClient, tableName: string, now: () => number = Date.now): RateStore {
  const { BatchGetItemCommand, ConditionalCheckFailedException, PutItemCommand, UpdateItemCommand } = dynamodbSdk();
  return {
    async add(senderDomain, bucket, counts, expiresAtMs) {
      const names: Record<string, string> = {};
      const values: Record<string, AttributeValue> = { ':expiresAt': { N: String(Math.ceil(expiresAtMs / 1000)) } };
      const adds: string[] = [];
      const add = (name: string, n: number) => {
        if (n === 0) return;
        const i = adds.length;
        names[`#a${i}`] = name;
        values[`:a${i}`] = { N: String(n) };
        adds.push(`#a${i} :a${i}`);
      };
      add('delivered', counts.delivered);
      add('hard', counts.hard);
      add('soft', counts.soft);
      for (const [domain, n] of Object.entries(counts.hardByRecipientDomain)) add(`${TO_PREFIX}${domain}`, n);
      if (adds.length === 0) return this.read(senderDomain, [bucket]);
      // The item as the add left it comes back with the write, so the caller needs no read of the current bucket.
      const { Attributes } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: rateBucketPk(senderDomain, bucket) } },
          UpdateExpression: `ADD ${adds.join(', ')} SET expiresAt = :expiresAt`,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes ? countsOf(Attributes) : NO_COUNTS;
    },

    async read(senderDomain, buckets) {
      let keys: Record<string, AttributeValue>[] = buckets.map((b) => ({ pk: { S: rateBucketPk(senderDomain, b) } }));
      let sum = NO_COUNTS;
      // Unprocessed keys (throttling) are asked for again, a few times, before the read gives up.
      for (let round = 0; keys.length > 0; round++) {
        if (round === 4) throw new Error('the rate counters could not all be read (throttled)');
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[tableName] ?? []) sum = addCounts(sum, countsOf(item));
        keys = (UnprocessedKeys?.[tableName]?.Keys as Record<string, AttributeValue>[] | undefined) ?? [];
      }
      return sum;
    },

    alertOf: dynamoRateAlertOf(client, tableName),

    async saveAlert(senderDomain, state: RateAlertState | undefined, version) {
      try {
        await client.send(
          new PutItemCommand({
            TableName: tableName,
            Item: {
              pk: { S: rateAlertPk(senderDomain) },
              version: { N: String(version + 1) },
              ...(state ? { state: { S: JSON.stringify(state) } } : {}),
              expiresAt: { N: String(Math.floor(now() / 1000) + ALERT_RETENTION_SECONDS) },
            },
            ConditionExpression: version === 0 ? 'attribute_not_exists(pk)' : 'version = :version',
            ...(version === 0 ? {} : { ExpressionAttributeValues: { ':version': { N: String(version) } } }),
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
