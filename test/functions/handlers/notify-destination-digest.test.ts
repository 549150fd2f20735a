import { DynamoDBClient, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import * as httpPost from '../../../functions/chat/http-post';
import {
  firstDeliveries,
  NOTIFIER_KEY_SECRET,
  NOTIFIER_URL_SECRET,
  notifierEnvironment,
} from '../../support/notifier-env';
import { stormEvents } from '../../support/storm-events';

/* The notifier Lambda with digests on (the deployed default) and a configured rate limit. */

const URL_SECRET = NOTIFIER_URL_SECRET;
const KEY_SECRET = NOTIFIER_KEY_SECRET;
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/SECRETPART';
const secrets = mockClient(SecretsManagerClient);
const dynamo = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
let fetchSpy: jest.SpiedFunction<typeof httpPost.post>;
let logs: string[];

const sqsEvent = (bodies: string[]): SQSEvent => firstDeliveries(bodies);

beforeAll(() => {
  Object.assign(process.env, notifierEnvironment({ RATE_LIMIT_PER_SECOND: '2' }));
  ({ handler } =
    require('../../../functions/handlers/notify-destination') as typeof import('../../../functions/handlers/notify-destination'));
});

beforeEach(() => {
  logs = [];
  // Powertools Logger writes warnings and errors to stderr; in Lambda both streams reach CloudWatch Logs.
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((line) => {
      logs.push(String(line));
      return true;
    });
  }
  fetchSpy = jest.spyOn(httpPost, 'post');
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: URL_SECRET }).resolves({ SecretString: SLACK_URL });
  secrets.on(GetSecretValueCommand, { SecretId: KEY_SECRET }).resolves({ SecretString: 'k'.repeat(64) });
  dynamo.reset();
  sqs.reset();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
  dynamo.on(GetItemCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dl-1' });
});
afterEach(() => jest.restoreAllMocks());

describe('notifier Lambda with digests', () => {
  it('posts a batch of one sender domain as one digest, after reserving a send slot shared through the table', async () => {
    fetchSpy.mockResolvedValue({ status: 200, headers: {}, body: 'ok' });
    const events = stormEvents(300);
    const before = Date.now();
    const response = await handler(sqsEvent(events.map((e) => JSON.stringify(e))));
    const after = Date.now();
    expect(response.batchItemFailures).toEqual([]);
    expect(fetchSpy).toHaveBeenCalledTimes(1);
    const posted = JSON.parse(fetchSpy.mock.calls[0]![1]);
    expect(posted.blocks[0].text.text).toBe('✖ 300 messages failed to send');
    // Every event claimed and confirmed; the slot reserved at the configured rate (2/s: 550 ms with the margin).
    const claims = dynamo.commandCalls(PutItemCommand).map((c) => c.args[0].input.Item!.pk!.S);
    expect(new Set(claims)).toEqual(new Set(events.map((e) => `ops#${e.key}`)));
    const updates = dynamo.commandCalls(UpdateItemCommand).map((c) => c.args[0].input);
    const slot = updates.find((u) => u.Key!.pk!.S === '#pace#ops')!;
    // The send slot is read from the table (beside the list of silences, read first).
    const reads = dynamo.commandCalls(GetItemCommand).map((c) => c.args[0].input.Key!.pk!.S);
    expect(reads).toContain('#pace#ops');
    const next = Number(slot.ExpressionAttributeValues![':next']!.N);
    expect(next).toBeGreaterThanOrEqual(before + 550);
    expect(next).toBeLessThanOrEqual(after + 550);
    expect(updates.filter((u) => u.ExpressionAttributeValues?.[':state']?.S === 'posted')).toHaveLength(300);
  });

  it('hands the whole batch back, unsent, when the send slot cannot be reserved', async () => {
    dynamo.on(GetItemCommand).rejects(new Error('ProvisionedThroughputExceededException'));
    const events = stormEvents(3);
    const response = await handler(sqsEvent(events.map((e) => JSON.stringify(e))));
    expect(response.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(['msg-1', 'msg-2', 'msg-3']);
    expect(fetchSpy).not.toHaveBeenCalled();
    // The log says why, without the table's error text.
    const warnings = logs.filter((l) => l.includes('"level":"WARN"')).join('');
    expect(warnings).toContain('"message":"digest not posted yet; its events are handed back to the queue"');
    expect(warnings).toContain('"reason":"no_send_slot"');
    expect(warnings).not.toContain('ProvisionedThroughputExceededException');
  });
});
