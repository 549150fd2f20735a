import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { DEDUP_RETENTION_SECONDS } from '../../../../functions/delivery/dedup/dedup-store';
import { dedupPk, dynamoDedupStore } from '../../../../functions/delivery/dedup/dynamodb-store';

const T0 = 1_800_000_000_000;

describe('dynamoDedupStore', () => {
  const dynamo = mockClient(DynamoDBClient);
  const store = dynamoDedupStore(new DynamoDBClient({}), 'dedup', () => T0);
  const conflict = (state?: string) =>
    new ConditionalCheckFailedException({
      message: 'conditional check failed',
      $metadata: {},
      ...(state ? { Item: { state: { S: state } } } : {}),
    });
  beforeEach(() => dynamo.reset());

  it('claims with a condition that no live claim or posted item exists, and a lease', async () => {
    dynamo.on(PutItemCommand).resolves({});
    expect(await store.claim('ops', 'k1', 30_000)).toBe('claimed');
    const input = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input.TableName).toBe('dedup');
    expect(input.Item).toEqual({
      pk: { S: 'ops#k1' },
      state: { S: 'sending' },
      leaseUntil: { N: String(T0 + 30_000) },
      expiresAt: { N: String(T0 / 1000 + DEDUP_RETENTION_SECONDS) },
    });
    expect(input.ConditionExpression).toBe(
      'attribute_not_exists(pk) OR #state = :dead OR (#state = :sending AND leaseUntil < :now)',
    );
    expect(input.ExpressionAttributeValues).toMatchObject({ ':now': { N: String(T0) } });
    expect(input.ReturnValuesOnConditionCheckFailure).toBe('ALL_OLD');
  });

  it('answers done for a posted item and busy for a live claim', async () => {
    dynamo.on(PutItemCommand).rejectsOnce(conflict('posted')).rejectsOnce(conflict('sending'));
    expect(await store.claim('ops', 'k1', 30_000)).toBe('done');
    expect(await store.claim('ops', 'k1', 30_000)).toBe('busy');
  });

  it('lets errors other than a failed condition through', async () => {
    dynamo.on(PutItemCommand).rejects(new Error('throttled'));
    await expect(store.claim('ops', 'k1', 30_000)).rejects.toThrow('throttled');
  });

  it('confirms the final state, drops the lease and keeps the item for the retention period', async () => {
    dynamo.on(UpdateItemCommand).resolves({});
    await store.confirm('ops', 'k1', 'dead');
    const input = dynamo.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(input).toMatchObject({
      TableName: 'dedup',
      Key: { pk: { S: 'ops#k1' } },
      UpdateExpression: 'SET #state = :state, expiresAt = :expiresAt REMOVE leaseUntil',
      ExpressionAttributeValues: {
        ':state': { S: 'dead' },
        ':expiresAt': { N: String(T0 / 1000 + DEDUP_RETENTION_SECONDS) },
      },
    });
  });

  it('releases only a claim still being sent, and ignores one that is not', async () => {
    dynamo.on(DeleteItemCommand).resolvesOnce({}).rejectsOnce(conflict('posted')).rejectsOnce(new Error('throttled'));
    await store.release('ops', 'k1');
    expect(dynamo.commandCalls(DeleteItemCommand)[0]!.args[0].input).toMatchObject({
      Key: { pk: { S: 'ops#k1' } },
      ConditionExpression: '#state = :sending',
    });
    await expect(store.release('ops', 'k1')).resolves.toBeUndefined();
    await expect(store.release('ops', 'k1')).rejects.toThrow('throttled');
  });

  it('keys items by destination and event key', () => {
    expect(dedupPk('care-team', 'abc')).toBe('care-team#abc');
  });
});
