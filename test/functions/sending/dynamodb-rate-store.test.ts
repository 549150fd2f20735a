import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoRateStore, rateBucketPk } from '../../../functions/sending/dynamodb-rate-store';

const dynamo = mockClient(DynamoDBClient);
const store = dynamoRateStore(new DynamoDBClient({}), 'table', () => 1_000_000);

beforeEach(() => dynamo.reset());

describe('dynamoRateStore', () => {
  it('adds to a bucket atomically, recipient domains included, sets its expiry, and answers what it holds', async () => {
    dynamo.on(UpdateItemCommand).resolves({
      Attributes: { pk: { S: 'x' }, delivered: { N: '13' }, hard: { N: '2' }, 'to:a.example': { N: '2' } },
    });
    const after = await store.add(
      'mail.example.com',
      42,
      { delivered: 3, hard: 2, soft: 0, hardByRecipientDomain: { 'a.example': 2 } },
      5_000_500,
    );
    const input = dynamo.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(input.Key).toEqual({ pk: { S: rateBucketPk('mail.example.com', 42) } });
    expect(input.UpdateExpression).toBe('ADD #a0 :a0, #a1 :a1, #a2 :a2 SET expiresAt = :expiresAt');
    expect(input.ExpressionAttributeNames).toEqual({ '#a0': 'delivered', '#a1': 'hard', '#a2': 'to:a.example' });
    expect(input.ExpressionAttributeValues).toMatchObject({
      ':a0': { N: '3' },
      ':a2': { N: '2' },
      ':expiresAt': { N: '5001' },
    });
    // The bucket as every writer left it comes back with the write: no read of it follows.
    expect(input.ReturnValues).toBe('ALL_NEW');
    expect(after).toEqual({ delivered: 13, hard: 2, soft: 0, hardByRecipientDomain: { 'a.example': 2 } });
    expect(dynamo.calls()).toHaveLength(1);
  });

  it('sums the buckets read, asking again for unprocessed keys', async () => {
    dynamo
      .on(BatchGetItemCommand)
      .resolvesOnce({
        Responses: { table: [{ delivered: { N: '10' }, hard: { N: '1' }, 'to:a.example': { N: '1' } }] },
        UnprocessedKeys: { table: { Keys: [{ pk: { S: rateBucketPk('d.example', 2) } }] } },
      })
      .resolvesOnce({ Responses: { table: [{ delivered: { N: '5' }, soft: { N: '4' } }] } });
    const counts = await store.read('d.example', [1, 2]);
    expect(counts).toEqual({ delivered: 15, hard: 1, soft: 4, hardByRecipientDomain: { 'a.example': 1 } });
    expect(dynamo.commandCalls(BatchGetItemCommand)).toHaveLength(2);
  });

  it('saves an alert compare-and-set on its version, and says when another writer won', async () => {
    dynamo
      .on(PutItemCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'x', $metadata: {} }));
    const state = { level: 'alert' as const, since: 1, lastNoticeAt: 1, lastRate: 0.06, reminders: 0 };
    expect(await store.saveAlert('d.example', state, 0)).toBe(true);
    expect(await store.saveAlert('d.example', undefined, 3)).toBe(false);
    const [first, second] = dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input);
    expect(first!.ConditionExpression).toBe('attribute_not_exists(pk)');
    expect(second!.ConditionExpression).toBe('version = :version');
    expect(second!.Item!.version).toEqual({ N: '4' });
  });
});
