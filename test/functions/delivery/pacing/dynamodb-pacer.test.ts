import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoPacer } from '../../../../functions/delivery/pacing/dynamodb-pacer';

const T0 = 1_800_000_000_000;

describe('dynamoPacer', () => {
  const dynamo = mockClient(DynamoDBClient);
  const pacer = dynamoPacer(new DynamoDBClient({}), 'dedup', () => T0);
  const conflict = () => new ConditionalCheckFailedException({ message: 'changed', $metadata: {} });
  beforeEach(() => dynamo.reset());

  it('takes the first slot of an idle destination with a condition that nobody else took it', async () => {
    dynamo.on(GetItemCommand).resolves({});
    dynamo.on(UpdateItemCommand).resolves({});
    expect(await pacer.reserve('ops', 1000, T0 + 10_000)).toBe(T0);
    const get = dynamo.commandCalls(GetItemCommand)[0]!.args[0].input;
    expect(get).toEqual({ TableName: 'dedup', Key: { pk: { S: '#pace#ops' } }, ConsistentRead: true });
    const update = dynamo.commandCalls(UpdateItemCommand)[0]!.args[0].input;
    expect(update).toMatchObject({
      TableName: 'dedup',
      Key: { pk: { S: '#pace#ops' } },
      ConditionExpression: 'attribute_not_exists(nextAt)',
      ExpressionAttributeValues: { ':next': { N: String(T0 + 1000) } },
    });
    // The item expires through the table's TTL.
    expect(Number(update.ExpressionAttributeValues![':expiresAt']!.N)).toBeGreaterThan(T0 / 1000);
  });

  it('takes the next free slot, and the one after when another notifier reserved meanwhile', async () => {
    dynamo
      .on(GetItemCommand)
      .resolvesOnce({ Item: { nextAt: { N: String(T0 + 3000) } } })
      .resolvesOnce({ Item: { nextAt: { N: String(T0 + 4000) } } });
    dynamo.on(UpdateItemCommand).rejectsOnce(conflict()).resolves({});
    expect(await pacer.reserve('ops', 1000, T0 + 10_000)).toBe(T0 + 4000);
    const updates = dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(
      updates.map((u) => [
        u.ConditionExpression,
        u.ExpressionAttributeValues![':previous'],
        u.ExpressionAttributeValues![':next'],
      ]),
    ).toEqual([
      ['nextAt = :previous', { N: String(T0 + 3000) }, { N: String(T0 + 4000) }],
      ['nextAt = :previous', { N: String(T0 + 4000) }, { N: String(T0 + 5000) }],
    ]);
  });

  it('gives notifiers reserving at the same moment distinct slots, one interval apart', async () => {
    // A stand-in for the table's item that applies the conditions as DynamoDB does, with the calls interleaved.
    let stored: string | undefined;
    const pause = () => new Promise((resolve) => setImmediate(resolve));
    dynamo.on(GetItemCommand).callsFake(async () => {
      await pause();
      return stored === undefined ? {} : { Item: { nextAt: { N: stored } } };
    });
    dynamo
      .on(UpdateItemCommand)
      .callsFake(async (input: { ExpressionAttributeValues: Record<string, { N: string }> }) => {
        await pause();
        if (stored !== input.ExpressionAttributeValues[':previous']?.N) throw conflict();
        stored = input.ExpressionAttributeValues[':next']!.N;
        return {};
      });
    const slots = await Promise.all(Array.from({ length: 5 }, () => pacer.reserve('ops', 1000, T0 + 60_000)));
    expect([...slots].sort()).toEqual([0, 1000, 2000, 3000, 4000].map((d) => T0 + d));
  });

  it('reserves nothing when the next free slot is past the latest start', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { nextAt: { N: String(T0 + 20_000) } } });
    expect(await pacer.reserve('ops', 1000, T0 + 10_000)).toBeUndefined();
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
  });

  it('gives up for now after losing many races in a row, and lets other errors through', async () => {
    dynamo.on(GetItemCommand).resolves({ Item: { nextAt: { N: String(T0) } } });
    dynamo.on(UpdateItemCommand).rejects(conflict());
    expect(await pacer.reserve('ops', 1000, T0 + 10_000)).toBeUndefined();
    dynamo.reset();
    dynamo.on(GetItemCommand).rejects(new Error('throttled'));
    await expect(pacer.reserve('ops', 1000, T0 + 10_000)).rejects.toThrow('throttled');
  });

  it('holds slots back after a 429, but never brings a later reservation forward', async () => {
    dynamo.on(UpdateItemCommand).resolvesOnce({}).rejectsOnce(conflict());
    await pacer.holdUntil('ops', T0 + 30_000);
    await pacer.holdUntil('ops', T0 + 2000);
    const updates = dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(updates[0]).toMatchObject({
      ConditionExpression: 'attribute_not_exists(nextAt) OR nextAt < :until',
      ExpressionAttributeValues: { ':until': { N: String(T0 + 30_000) } },
    });
    expect(updates).toHaveLength(2);
  });
});
