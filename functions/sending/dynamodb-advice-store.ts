import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { dynamodbSdk } from '../aws';
import { type Advice, type AdviceSettings, type AdviceStore, adviceOf, bounceEntry, MAX_BOUNCES_KEPT } from './advice';

/** The table key of a recipient's hard bounces and advice: the keyed fingerprint, never the address. */
export const advicePk = (fingerprint: string): string => `#advice#${fingerprint}`;
/** The item listing every advised fingerprint (the table has no index to query). */
export const ADVICE_INDEX_PK = '#advice-index';
/** Advice is kept a year after the last hard bounce; bounces that gave none, for the window. */
const ADVICE_KEPT_MS = 365 * 86_400_000;

function adviceFrom(item: Record<string, AttributeValue> | undefined): Advice | undefined {
  if (item?.advisedAt?.S === undefined) return undefined;
  return {
    fingerprint: item.fingerprint!.S!,
    recipientDomain: item.recipientDomain?.S ?? 'unknown',
    firstAt: item.firstAt!.S!,
    lastAt: item.lastAt!.S!,
    count: Number(item.count?.N ?? '0'),
    advisedAt: item.advisedAt.S,
  };
}

/**
 * What every notifier does with advice in the relay's table: record a hard bounce in the item of its recipient's
 * fingerprint, which holds its hard bounces as a string set (ADD is idempotent, so a redelivered event counts once,
 * and every notifier records at once) and, once given, the advice. The advice is set with a condition, so exactly
 * one notifier sees it as new. Apart from {@link dynamoAdviceStore}, so that a notifier's bundle holds no more.
 */
export function dynamoAdviceRecorder(
  client: DynamoDBClient,
  tableName: string,
  settings: AdviceSettings,
): Pick<AdviceStore, 'record'> {
  const { ConditionalCheckFailedException, UpdateItemCommand } = dynamodbSdk();
  const seconds = (ms: number) => ({ N: String(Math.ceil(ms / 1000)) });
  return {
    async record(fingerprint, eventKey, atMs, recipientDomain) {
      const key = { pk: { S: advicePk(fingerprint) } };
      const { Attributes } = await client.send(
        new UpdateItemCommand({
          TableName: tableName,
          Key: key,
          UpdateExpression:
            'ADD bounces :entry SET fingerprint = :fp, expiresAt = if_not_exists(expiresAt, :expiresAt)',
          ExpressionAttributeValues: {
            ':entry': { SS: [bounceEntry(eventKey, atMs)] },
            ':fp': { S: fingerprint },
            ':expiresAt': seconds(atMs + settings.windowMs),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      const entries = (Attributes?.bounces?.SS ?? []).sort().slice(-MAX_BOUNCES_KEPT);
      const known = adviceFrom(Attributes);
      const result = adviceOf(fingerprint, recipientDomain, entries, atMs, settings, known);
      if (!result.advice) return result;
      const { advice } = result;
      let isNew = result.isNew;
      try {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: key,
            UpdateExpression:
              'SET recipientDomain = :domain, firstAt = :first, lastAt = :last, #count = :count, ' +
              'advisedAt = if_not_exists(advisedAt, :advised), expiresAt = :expiresAt',
            ...(isNew ? { ConditionExpression: 'attribute_not_exists(advisedAt)' } : {}),
            ExpressionAttributeNames: { '#count': 'count' },
            ExpressionAttributeValues: {
              ':domain': { S: advice.recipientDomain },
              ':first': { S: advice.firstAt },
              ':last': { S: advice.lastAt },
              ':count': { N: String(advice.count) },
              ':advised': { S: advice.advisedAt },
              ':expiresAt': seconds(Date.parse(advice.lastAt) + ADVICE_KEPT_MS),
            },
          }),
        );
      } catch (error) {
        // Another notifier gave the advice first: it is not new here.
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        isNew = false;
      }
      if (isNew) {
        await client.send(
          new UpdateItemCommand({
            TableName: tableName,
            Key: { pk: { S: ADVICE_INDEX_PK } },
            UpdateExpression: 'ADD fingerprints :fp',
            ExpressionAttributeValues: { ':fp': { SS: [fingerprint] } },
          }),
        );
      }
      return { advice, isNew };
    },
  };
}

/** Advice in the relay's table: recorded as {@link dynamoAdviceRecorder} does, and listed from an index item. */
export function dynamoAdviceStore(client: DynamoDBClient, tableName: string, settings: AdviceSettings): AdviceStore {
  const { BatchGetItemCommand, GetItemCommand } = dynamodbSdk();
  return {
    ...dynamoAdviceRecorder(client, tableName, settings),

    async list() {
      const { Item } = await client.send(
        new GetItemCommand({ TableName: tableName, Key: { pk: { S: ADVICE_INDEX_PK } }, ConsistentRead: true }),
      );
      const fingerprints = Item?.fingerprints?.SS ?? [];
      const found: Advice[] = [];
      for (let i = 0; i < fingerprints.length; i += 100) {
        const Keys = fingerprints.slice(i, i + 100).map((fp) => ({ pk: { S: advicePk(fp) } }));
        const { Responses } = await client.send(
          new BatchGetItemCommand({ RequestItems: { [tableName]: { Keys, ConsistentRead: true } } }),
        );
        for (const item of Responses?.[tableName] ?? []) {
          const advice = adviceFrom(item);
          if (advice) found.push(advice);
        }
      }
      return found.sort((a, b) => b.lastAt.localeCompare(a.lastAt));
    },
  };
}
