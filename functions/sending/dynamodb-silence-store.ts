import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SilenceMatch } from '../alerts';
import { dynamodbSdk } from '../aws';
import { newSilenceId, type Silence } from './silence';
import { ENDED_KEPT_MS, type SilenceStore } from './silence-store';

/** The table key of a silence, and of the item listing every silence's id (the table has no index to query). */
export const silencePk = (id: string): string => `#silence#${id}`;
export const SILENCE_INDEX_PK = '#silences';
/** Attributes counting what a silence hid: `h:<destination>:<event type> <recipient domain>`. */
const HIDDEN_PREFIX = 'h:';

const expiresAt = (endMs: number) => ({ N: String(Math.ceil((endMs + ENDED_KEPT_MS) / 1000)) });

function silenceOf(item: Record<string, AttributeValue>): Silence {
  const hidden: Record<string, Record<string, number>> = {};
  for (const [name, value] of Object.entries(item)) {
    if (!name.startsWith(HIDDEN_PREFIX)) continue;
    const rest = name.slice(HIDDEN_PREFIX.length);
    const at = rest.indexOf(':');
    const destination = rest.slice(0, at);
    hidden[destination] = { ...hidden[destination], [rest.slice(at + 1)]: Number(value.N ?? '0') };
  }
  return {
    id: item.id!.S!,
    match: JSON.parse(item.match!.S!) as SilenceMatch,
    reason: item.reason!.S!,
    createdAt: item.createdAt!.S!,
    endsAt: item.endsAt!.S!,
    ...(item.endedAt?.S !== undefined ? { endedAt: item.endedAt.S } : {}),
    hidden,
    ...(item.announced?.BOOL === true ? { announced: true } : {}),
  };
}

/**
 * What every notifier does with silences in the relay's table: list them, and count what they hid (with `ADD` on
 * the silence's item, so notifiers count at once). Apart from {@link dynamoSilenceStore}, so that a notifier's
 * bundle holds no more.
 */
export function dynamoAppliedSilences(client: DynamoDBClient, tableName: string): Pick<SilenceStore, 'list' | 'hid'> {
  const { BatchGetItemCommand, ConditionalCheckFailedException, GetItemCommand, UpdateItemCommand } = dynamodbSdk();
  return {
    async list() {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: SILENCE_INDEX_PK } }, ConsistentRead: true }),
      );
      const ids = Item?.ids?.SS ?? [];
      const found: Silence[] = [];
      for (let i = 0; i < ids.length; i += 100) {
        let keys: Record<string, AttributeValue>[] = ids.slice(i, i + 100).map((id) => ({ pk: { S: silencePk(id) } }));
        for (let round = 0; keys.length > 0 && round < 4; round++) {
          const { Responses, UnprocessedKeys } = await client.send(
            new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys: keys, ConsistentRead: true } } }),
          );
          found.push(...(Responses?.[tableName] ?? []).map(silenceOf));
          keys = (UnprocessedKeys?.[tableName]?.Keys as Record<string, AttributeValue>[] | undefined) ?? [];
        }
      }
      return found.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
    },

    async hid(id, destination, counts) {
      const names: Record<string, string> = {};
      const values: Record<string, AttributeValue> = {};
      const adds = Object.entries(counts).map(([key, n], i) => {
        names[`#h${i}`] = `${HIDDEN_PREFIX}${destination}:${key}`;
        values[`:h${i}`] = { N: String(n) };
        return `#h${i} :h${i}`;
      });
      if (adds.length === 0) return;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: silencePk(id) } },
            UpdateExpression: `ADD ${adds.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          }),
        );
      } catch (error) {
        // The silence expired meanwhile: there is nothing left to count on.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
      }
    },
  };
}

/**
 * Silences in the relay's table: one item each (expired by TTL a week after it ends), and one item listing their
 * ids. What a silence hid is counted as {@link dynamoAppliedSilences} does; ending and announcing are conditional
 * writes, so they happen once.
 */
export function dynamoSilenceStore(client: DynamoDBClient, tableName: string): SilenceStore {
  const { ConditionalCheckFailedException, UpdateItemCommand } = dynamodbSdk();
  const conditional = async (run: () => Promise<unknown>): Promise<boolean> => {
    try {
      await run();
      return true;
    } catch (error) {
      if (error instanceof ConditionalCheckFailedException) return false;
      throw error;
    }
  };
  return {
    ...dynamoAppliedSilences(client, tableName),

    async add({ match, reason, forMs, nowMs }) {
      const silence: Silence = {
        id: newSilenceId(),
        match,
        reason,
        createdAt: new Date(nowMs).toISOString(),
        endsAt: new Date(nowMs + forMs).toISOString(),
        hidden: {},
      };
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: silencePk(silence.id) } },
          UpdateExpression:
            'SET #id = :id, #match = :match, #reason = :reason, createdAt = :createdAt, endsAt = :endsAt, expiresAt = :expiresAt',
          ConditionExpression: 'attribute_not_exists(pk)',
          ExpressionAttributeNames: { '#id': 'id', '#match': 'match', '#reason': 'reason' },
          ExpressionAttributeValues: {
            ':id': { S: silence.id },
            ':match': { S: JSON.stringify(match) },
            ':reason': { S: reason },
            ':createdAt': { S: silence.createdAt },
            ':endsAt': { S: silence.endsAt },
            ':expiresAt': expiresAt(nowMs + forMs),
          },
        }),
      );
      await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: { pk: { S: SILENCE_INDEX_PK } },
          UpdateExpression: 'ADD #ids :id',
          ExpressionAttributeNames: { '#ids': 'ids' },
          ExpressionAttributeValues: { ':id': { SS: [silence.id] } },
        }),
      );
      return silence;
    },

    async end(id, nowMs) {
      try {
        const { Attributes } = await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: silencePk(id) } },
            UpdateExpression: 'SET endedAt = :now, expiresAt = :expiresAt',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(endedAt) AND endsAt > :now',
            ExpressionAttributeValues: { ':now': { S: new Date(nowMs).toISOString() }, ':expiresAt': expiresAt(nowMs) },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? silenceOf(Attributes) : undefined;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) return undefined;
        throw error;
      }
    },

    async announce(id) {
      return conditional(() =>
        client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: silencePk(id) } },
            UpdateExpression: 'SET announced = :yes',
            ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(announced)',
            ExpressionAttributeValues: { ':yes': { BOOL: true } },
          }),
        ),
      );
    },
  };
}
