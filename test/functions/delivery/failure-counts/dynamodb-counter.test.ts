import { ConditionalCheckFailedException, DynamoDBClient, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { recipientFingerprint } from '../../../../functions/alerts';
import { dynamoFailureCounter, failuresPk, MemoryFailureCounter } from '../../../../functions/delivery/failure-counts';

const ADDRESS = 'jordan.lee@patients.example.org';
const fingerprint = recipientFingerprint(ADDRESS, 'key');
const T = Date.UTC(2026, 10, 20, 14, 0, 0);
const HOUR = 3_600_000;

describe('dynamoFailureCounter', () => {
  const dynamo = mockClient(DynamoDBClient);
  beforeEach(() => dynamo.reset());

  it('ADDs an idempotent entry under the fingerprint, with a TTL; counts the 24 h up to the event', async () => {
    dynamo.on(UpdateItemCommand).resolves({
      Attributes: {
        failures: { SS: [`${(T - 30 * HOUR) / 1000}:old`, `${(T - 2 * HOUR) / 1000}:a`, `${T / 1000}:b`] },
      },
    });
    const counter = dynamoFailureCounter(new DynamoDBClient({}), 'table', () => T);
    expect(await counter.record(fingerprint, 'b'.repeat(32), T)).toBe(2);
    const [add, prune] = dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    expect(add).toMatchObject({
      TableName: 'table',
      Key: { pk: { S: failuresPk(fingerprint) } },
      UpdateExpression: 'ADD failures :entry SET expiresAt = :expiresAt',
      ExpressionAttributeValues: { ':entry': { SS: [`${T / 1000}:${'b'.repeat(32)}`] } },
    });
    expect(Number(add!.ExpressionAttributeValues![':expiresAt']!.N)).toBeGreaterThan(T / 1000 + 24 * 3600);
    // The entry more than a day older than the newest is removed.
    expect(prune).toMatchObject({ UpdateExpression: 'DELETE failures :stale' });
    expect(prune!.ExpressionAttributeValues![':stale']).toEqual({ SS: [`${(T - 30 * HOUR) / 1000}:old`] });
    // What is stored holds the fingerprint and event keys, never the address.
    expect(JSON.stringify(dynamo.calls().map((c) => c.args[0].input))).not.toContain('jordan');
  });

  it('says "at least the cap" when a recipient has too many failures kept', async () => {
    dynamo.on(UpdateItemCommand).rejects(new ConditionalCheckFailedException({ message: 'full', $metadata: {} }));
    expect(await dynamoFailureCounter(new DynamoDBClient({}), 't').record(fingerprint, 'k', T)).toBe(1000);
  });
});

describe('MemoryFailureCounter', () => {
  it('counts each event once, within 24 h before it', async () => {
    const counter = new MemoryFailureCounter();
    expect(await counter.record(fingerprint, 'a', T)).toBe(1);
    expect(await counter.record(fingerprint, 'a', T)).toBe(1);
    expect(await counter.record(fingerprint, 'b', T + 23 * HOUR)).toBe(2);
    expect(await counter.record(fingerprint, 'c', T + 25 * HOUR)).toBe(2);
    expect(await counter.record('r-other', 'd', T)).toBe(1);
  });
});
