import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConditionalCheckFailedException, DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { dynamoReplayStore, replayPk } from '../../../functions/interactivity/dynamodb-replay-store';
import { FileReplayStore } from '../../../functions/interactivity/replay-store';

const SIGNATURE = `v0=${'a'.repeat(64)}`;

describe('FileReplayStore', () => {
  it('refuses a signature seen before, across a restart, and forgets it once it has expired', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'replays-'));
    let now = 1_000_000;
    const store = new FileReplayStore(dir, () => now);
    expect(await store.remember(SIGNATURE, now + 300_000)).toBe(true);
    expect(await store.remember(SIGNATURE, now + 300_000)).toBe(false);
    const restarted = new FileReplayStore(dir, () => now);
    expect(await restarted.remember(SIGNATURE, now + 300_000)).toBe(false);
    now += 300_001;
    expect(await restarted.remember(SIGNATURE, now + 300_000)).toBe(true);
  });
});

describe('dynamoReplayStore', () => {
  const dynamo = mockClient(DynamoDBClient);
  beforeEach(() => dynamo.reset());

  it('puts the signature only if absent, with the TTL of its request', async () => {
    dynamo
      .on(PutItemCommand)
      .resolvesOnce({})
      .rejectsOnce(new ConditionalCheckFailedException({ message: 'exists', $metadata: {} }));
    const store = dynamoReplayStore(new DynamoDBClient({}), 'table');
    expect(await store.remember(SIGNATURE, 1_700_000_300_500)).toBe(true);
    expect(await store.remember(SIGNATURE, 1_700_000_300_500)).toBe(false);
    const input = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(input).toEqual({
      TableName: 'table',
      Item: { pk: { S: replayPk(SIGNATURE) }, expiresAt: { N: '1700000301' } },
      ConditionExpression: 'attribute_not_exists(pk)',
    });
  });

  it('lets any other failure through, so the request is not acted on', async () => {
    dynamo.on(PutItemCommand).rejects(new Error('throttled'));
    await expect(dynamoReplayStore(new DynamoDBClient({}), 't').remember(SIGNATURE, 1)).rejects.toThrow('throttled');
  });
});
