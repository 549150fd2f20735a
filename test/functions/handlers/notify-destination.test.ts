import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ChangeMessageVisibilityBatchCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as httpPost from '../../../functions/chat/http-post';
import { parsePauboxWebhook } from '../../../functions/paubox';
import {
  firstDeliveries,
  NOTIFIER_DLQ_URL,
  NOTIFIER_KEY_SECRET,
  NOTIFIER_QUEUE_URL,
  NOTIFIER_URL_SECRET,
  notifierEnvironment,
} from '../../support/notifier-env';

const URL_SECRET = NOTIFIER_URL_SECRET;
const KEY_SECRET = NOTIFIER_KEY_SECRET;
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/SECRETPART';
const TEAMS_URL =
  'https://prod-01.westeurope.logic.azure.com:443/workflows/w1/triggers/manual/paths/invoke?sig=SECRETSIG';

const DLQ_URL = NOTIFIER_DLQ_URL;
const secrets = mockClient(SecretsManagerClient);
const dynamo = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);
let handler: (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;
let stdout: string[];
// The chat endpoints are https hosts on the internet; the module's one POST function stands in for them.
let fetchSpy: jest.SpiedFunction<typeof httpPost.post>;
const reply = (status: number, body = ''): httpPost.PostReply => ({ status, headers: {}, body });
const lambdaContext = (): Context =>
  ({
    functionName: 'relay-ops',
    invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:relay-ops',
    memoryLimitInMB: '256',
    awsRequestId: 'req-7',
    getRemainingTimeInMillis: () => 30_000,
  }) as Context;

const queuedEvent = (name: string): string => {
  const parsed = parsePauboxWebhook(
    JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'paubox', `${name}.json`), 'utf8')),
  );
  if (parsed.kind !== 'event') throw new Error('fixture is not an event');
  return JSON.stringify(parsed.event);
};
const sqsEvent = (...bodies: string[]): SQSEvent => firstDeliveries(bodies);
const storedUrl = (url: string): void => {
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: URL_SECRET }).resolves({ SecretString: url });
  secrets.on(GetSecretValueCommand, { SecretId: KEY_SECRET }).resolves({ SecretString: 'k'.repeat(64) });
};

beforeAll(() => {
  // One post per event in this file, whose batches mix types; digests have their own suite.
  Object.assign(process.env, notifierEnvironment({ DIGEST_MIN_GROUP_SIZE: '10000' }));
  // The handler reads its environment at load time, so it is loaded only once the environment is set.
  ({ handler } =
    require('../../../functions/handlers/notify-destination') as typeof import('../../../functions/handlers/notify-destination'));
});

beforeEach(() => {
  stdout = [];
  // Powertools Logger writes warnings and errors to stderr; in Lambda both streams reach CloudWatch Logs.
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((line) => {
      stdout.push(String(line));
      return true;
    });
  }
  fetchSpy = jest.spyOn(httpPost, 'post');
  dynamo.reset();
  sqs.reset();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({});
  // No silences: the notifier reads their list (an item of the table) before posting.
  dynamo.on(GetItemCommand).resolves({});
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dl-1' });
  sqs.on(ChangeMessageVisibilityBatchCommand).resolves({ Successful: [], Failed: [] });
});
afterEach(() => jest.restoreAllMocks());

describe('notifier Lambda', () => {
  it('posts, dead-letters at once what can never succeed, and hands back only what may succeed later', async () => {
    storedUrl(SLACK_URL);
    fetchSpy
      .mockResolvedValueOnce(reply(200, 'ok'))
      .mockResolvedValueOnce(reply(410, 'channel_is_archived'))
      .mockResolvedValueOnce({ status: 429, headers: { 'retry-after': '30' }, body: '' });
    const response = await handler(
      sqsEvent(
        queuedEvent('permanent_failure'),
        '{"not":"an event"}',
        queuedEvent('temporary_failure'),
        queuedEvent('opened'),
      ),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-4' }]);
    expect(fetchSpy).toHaveBeenCalledTimes(3);
    // Handed back for the platform's Retry-After, not the queue's visibility timeout of minutes.
    expect(sqs.commandCalls(ChangeMessageVisibilityBatchCommand).map((c) => c.args[0].input)).toEqual([
      {
        QueueUrl: NOTIFIER_QUEUE_URL,
        Entries: [{ Id: 'msg-4', ReceiptHandle: 'receipt-4', VisibilityTimeout: 30 }],
      },
    ]);
    const [url, body] = fetchSpy.mock.calls[0]!;
    expect(url).toBe(SLACK_URL);
    const posted = JSON.parse(body);
    expect(posted.text).toContain('Message failed to send');
    expect(posted.blocks[0]).toMatchObject({ type: 'header', text: { text: '✖ Message failed to send' } });
    expect(JSON.stringify(posted)).not.toContain('jordan.lee@patients.example.org');

    // The malformed record and the archived channel went to the DLQ with their reasons, bodies intact.
    const letters = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(letters.map((l) => [l.QueueUrl, l.MessageAttributes!.reason!.StringValue])).toEqual([
      [DLQ_URL, 'malformed_record'],
      [DLQ_URL, 'channel_is_archived'],
    ]);
    expect(JSON.parse(letters[1]!.MessageBody!).type).toBe('temporary_failure');
    // The broken destination is reported as a metric the alarm watches.
    expect(stdout.join('')).toMatch(/"DestinationBroken":1/);
  }, 20_000);

  it('skips an event this destination has already posted', async () => {
    storedUrl(SLACK_URL);
    dynamo
      .on(PutItemCommand)
      .rejects(
        new ConditionalCheckFailedException({ message: 'exists', $metadata: {}, Item: { state: { S: 'posted' } } }),
      );
    const response = await handler(sqsEvent(queuedEvent('permanent_failure')));
    expect(response.batchItemFailures).toEqual([]);
    expect(fetchSpy).not.toHaveBeenCalled();
  });

  it('claims before sending and confirms after, keyed by destination and event', async () => {
    storedUrl(SLACK_URL);
    fetchSpy.mockResolvedValueOnce(reply(200, 'ok'));
    await handler(sqsEvent(queuedEvent('permanent_failure')));
    const claim = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    const key = JSON.parse(queuedEvent('permanent_failure')).key;
    expect(claim.Item!.pk).toEqual({ S: `ops#${key}` });
    expect(claim.ConditionExpression).toContain('attribute_not_exists(pk)');
    // (The other update reserves the destination's send slot.)
    const confirm = dynamo
      .commandCalls(UpdateItemCommand)
      .map((c) => c.args[0].input)
      .find((input) => input.Key?.pk?.S === `ops#${key}`)!;
    expect(confirm.ExpressionAttributeValues![':state']).toEqual({ S: 'posted' });
  });

  it('detects Teams from the stored URL and posts the Workflows envelope', async () => {
    storedUrl(TEAMS_URL);
    fetchSpy.mockResolvedValueOnce(reply(202));
    const response = await handler(sqsEvent(queuedEvent('permanent_failure')));
    expect(response.batchItemFailures).toEqual([]);
    const posted = JSON.parse(fetchSpy.mock.calls[0]![1]);
    expect(posted).toMatchObject({
      type: 'message',
      attachments: [
        { contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } },
      ],
    });
  });

  it('refuses a stored URL on another host, and logs why without the URL', async () => {
    storedUrl('https://attacker.example.net/services/SECRETPART');
    const response = await handler(sqsEvent(queuedEvent('permanent_failure')));
    // Handed back (the secret may be fixed before the last receive), never posted.
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(fetchSpy).not.toHaveBeenCalled();
    const logs = stdout.join('');
    expect(logs).toContain('attacker.example.net, which is neither Slack');
    expect(logs).not.toContain('SECRETPART');
  });

  it('never logs the webhook URL, the recipient or the subject', async () => {
    storedUrl(SLACK_URL);
    fetchSpy.mockResolvedValueOnce(reply(404, 'no_service'));
    await handler(sqsEvent(queuedEvent('permanent_failure')));
    const logs = stdout.join('');
    expect(logs).toContain('no_service');
    for (const secret of ['SECRETPART', 'hooks.slack.com', 'jordan.lee', 'Your appointment'])
      expect(logs).not.toContain(secret);
  });

  it('reports the end-to-end delay in milliseconds and the outcome counts with the Destination dimension', async () => {
    storedUrl(SLACK_URL);
    fetchSpy.mockResolvedValueOnce(reply(200, 'ok'));
    const event = {
      ...JSON.parse(queuedEvent('permanent_failure')),
      time: new Date(Date.now() - 42_000).toISOString(),
    };
    await handler(sqsEvent(JSON.stringify(event)), lambdaContext());
    const [flush] = stdout
      .join('')
      .split('\n')
      .filter((l) => l.includes('"_aws"'))
      .map((l) => JSON.parse(l));
    expect(flush._aws.CloudWatchMetrics).toEqual([
      {
        Namespace: 'PauboxAlertRelay',
        Dimensions: [['service', 'Relay', 'Destination']],
        Metrics: expect.arrayContaining([
          { Name: 'AlertsPosted', Unit: 'Count' },
          { Name: 'EndToEndDelay', Unit: 'Milliseconds' },
        ]),
      },
    ]);
    expect(flush).toMatchObject({ service: 'notifier', Destination: 'ops', AlertsPosted: 1 });
    expect(flush.EndToEndDelay).toBeGreaterThanOrEqual(42_000);
    expect(flush.EndToEndDelay).toBeLessThan(60_000);
  });

  it('logs through Powertools Logger with the function context, the destination and the event key on each line', async () => {
    storedUrl(SLACK_URL);
    fetchSpy.mockResolvedValueOnce(reply(503, 'busy')).mockResolvedValueOnce(reply(200, 'ok'));
    await handler(sqsEvent(queuedEvent('permanent_failure')), lambdaContext());
    const key = JSON.parse(queuedEvent('permanent_failure')).key;
    const logs = stdout
      .join('')
      .split('\n')
      .filter((l) => l.includes('"message"'))
      .map((l) => JSON.parse(l));
    expect(logs.map((l) => l.message)).toEqual(['alert not posted yet; handed back to the queue']);
    for (const line of logs) {
      expect(line).toMatchObject({
        service: 'notifier',
        destination: 'ops',
        eventKey: key,
        function_request_id: 'req-7',
        function_name: 'relay-ops',
      });
    }
    expect(logs[0]).toMatchObject({ level: 'WARN', attempt: 1 });
  }, 20_000);
});
