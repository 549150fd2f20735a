import {
  ConditionalCheckFailedException,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { FirehoseClient, PutRecordCommand } from '@aws-sdk/client-firehose';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { slackSignature } from '../../../functions/interactivity';
import { startFakeSlackApi, type FakeSlackApi } from '../../support/fake-slack-api';
import { clickBody } from '../../support/slack-clicks';

/*
 * The deployed interactivity function, as API Gateway invokes it (payload 2.0), against mocked DynamoDB and Secrets
 * Manager and a fake Slack Web API on 127.0.0.1: it reads the signing secret from the app-mode destination's
 * secret, refuses what is not signed with it before any table call, refuses a replay the table has seen, and acts,
 * putting each action's audit record on the archive's audit stream (mocked Firehose).
 */
const SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app';
const SIGNING = 'deployed-signing-secret';
const CHANNEL = 'C0FAKECHAN1';
const secrets = mockClient(SecretsManagerClient);
const dynamo = mockClient(DynamoDBClient);
const firehose = mockClient(FirehoseClient);
const AUDIT_STREAM = 'relay-audit';
let api: FakeSlackApi;
let output: string[];
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const event = (body: string, headers: Record<string, string>): APIGatewayProxyEventV2 =>
  ({
    routeKey: 'POST /slack/interactivity',
    rawPath: '/slack/interactivity',
    headers,
    body: Buffer.from(body).toString('base64'),
    isBase64Encoded: true,
  }) as unknown as APIGatewayProxyEventV2;
const signed = (body: string, secret = SIGNING, at = Math.floor(Date.now() / 1000)) => ({
  'content-type': 'application/x-www-form-urlencoded',
  'x-slack-request-timestamp': String(at),
  'x-slack-signature': slackSignature(secret, String(at), body),
});

beforeAll(async () => {
  api = await startFakeSlackApi({ channels: [{ id: CHANNEL }] });
  Object.assign(process.env, {
    RELAY_ID: 'TestStack/Relay',
    APP_DESTINATIONS: JSON.stringify({ app: { secretArn: SECRET_ARN, channel: CHANNEL } }),
    RELAY_TABLE_NAME: 'relay',
    AUDIT_STREAM_NAME: AUDIT_STREAM,
    SLACK_API_BASE_URL: api.baseUrl,
  });
  ({ handler } =
    require('../../../functions/handlers/slack-interactivity') as typeof import('../../../functions/handlers/slack-interactivity'));
});
afterAll(() => api.close());

beforeEach(() => {
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((line) => {
      output.push(String(line));
      return true;
    });
  }
  secrets.reset();
  secrets
    .on(GetSecretValueCommand, { SecretId: SECRET_ARN })
    .resolves({ SecretString: JSON.stringify({ botToken: api.token, signingSecret: SIGNING }) });
  dynamo.reset();
  dynamo.on(PutItemCommand).resolves({});
  dynamo.on(GetItemCommand).resolves({});
  dynamo.on(UpdateItemCommand).resolves({ Attributes: {} });
  firehose.reset();
  firehose.on(PutRecordCommand).resolves({ RecordId: 'r-1' });
});
afterEach(() => jest.restoreAllMocks());

describe('interactivity Lambda', () => {
  it('acts on a click signed with the destination secret before answering 200, and counts it', async () => {
    const body = clickBody({ name: 'acknowledge', messageKey: 'k-1' }, { channel: CHANNEL, ts: '1700000000.000100' });
    const answer = await handler(event(body, signed(body)));
    expect(answer.statusCode).toBe(200);
    const [update] = api.callsOf('chat.update');
    expect(update!.args).toMatchObject({ channel: CHANNEL, ts: '1700000000.000100' });
    expect(update!.headers.authorization).toBe(`Bearer ${api.token}`);
    const seen = dynamo.commandCalls(PutItemCommand)[0]!.args[0].input;
    expect(seen.ConditionExpression).toBe('attribute_not_exists(pk)');
    const logs = output.join('');
    expect(logs).toMatch(/"message":"chat action".*"slackUser":"U0PERSON1"/);
    expect(logs).toMatch(/"SlackInteractivityRequests":1/);
    expect(logs).toContain('"Reason":"acted"');
  });

  it('refuses another secret, and a replay the table has seen, with 401 and nothing done', async () => {
    const body = clickBody({ name: 'muteSenderDomain', senderDomain: 'a.example' }, { channel: CHANNEL, ts: '1.2' });
    expect((await handler(event(body, signed(body, 'not-it')))).statusCode).toBe(401);
    expect(dynamo.calls()).toHaveLength(0);
    dynamo.on(PutItemCommand).rejects(new ConditionalCheckFailedException({ message: 'seen', $metadata: {} }));
    const headers = signed(body);
    expect((await handler(event(body, headers))).statusCode).toBe(401);
    expect(dynamo.commandCalls(UpdateItemCommand)).toHaveLength(0);
    expect(api.callsOf('chat.postMessage')).toHaveLength(0);
    const logs = output.join('');
    expect(logs).not.toContain(headers['x-slack-signature']);
    expect(logs).not.toContain('a.example');
    expect(logs).toContain('"Reason":"refused"');
  });

  describe('the audit trail in the archive', () => {
    const records = () =>
      firehose.commandCalls(PutRecordCommand).map(({ args: [{ input }] }) => {
        expect(input.DeliveryStreamName).toBe(AUDIT_STREAM);
        return Buffer.from(input.Record!.Data!).toString('utf8');
      });
    const ISO = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

    it('puts one JSON line per acknowledge and mute on the audit stream: who, what, when, no address', async () => {
      const acknowledge = clickBody({ name: 'acknowledge', messageKey: 'k-1' }, { channel: CHANNEL, ts: '1.000100' });
      expect((await handler(event(acknowledge, signed(acknowledge)))).statusCode).toBe(200);
      const mute = clickBody(
        { name: 'muteRecipient', messageKey: 'k-1', fingerprint: 'r-0123abcd' },
        { channel: CHANNEL, ts: '1.000200' },
      );
      expect((await handler(event(mute, signed(mute)))).statusCode).toBe(200);
      const lines = records();
      expect(lines).toHaveLength(2);
      for (const line of lines) {
        expect(line.endsWith('\n')).toBe(true);
        expect(line).not.toContain('@');
      }
      const [acked, muted] = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
      expect(acked).toEqual({
        audit: 'chat_action',
        action: 'acknowledge',
        by: 'U0PERSON1',
        team: expect.any(String),
        destination: 'app',
        at: ISO,
        message_key: 'k-1',
        changed: expect.any(Boolean),
      });
      expect(muted).toEqual({
        audit: 'chat_action',
        action: 'muteRecipient',
        by: 'U0PERSON1',
        team: expect.any(String),
        destination: 'app',
        at: ISO,
        message_key: 'k-1',
        fingerprint: 'r-0123abcd',
        silence_id: expect.any(String),
        until: ISO,
        changed: true,
      });
    });

    it('still answers 200 and acts when the stream refuses the record, and logs and counts it without the record', async () => {
      firehose
        .on(PutRecordCommand)
        .rejects(Object.assign(new Error('stream r-0123abcd busy'), { name: 'ServiceUnavailableException' }));
      const mute = clickBody(
        { name: 'muteSenderDomain', messageKey: 'k-2', senderDomain: 'b.example' },
        { channel: CHANNEL, ts: '1.000300' },
      );
      const answer = await handler(event(mute, signed(mute)));
      expect(answer.statusCode).toBe(200);
      expect(records()).toHaveLength(1);
      // The silence is in the table and the thread reply was posted all the same.
      expect(JSON.stringify(dynamo.calls().map((c) => c.args[0].input))).toContain('b.example');
      expect(api.callsOf('chat.postMessage').some((call) => call.args.channel === CHANNEL)).toBe(true);
      const logs = output.join('');
      expect(logs).toMatch(/"message":"a Slack action was done but its audit record is not in the archive"/);
      expect(logs).toContain('"errorName":"ServiceUnavailableException"');
      expect(logs).not.toContain('stream r-0123abcd busy');
      expect(logs).toMatch(/"AuditRecordsFailed":1/);
      expect(logs).toMatch(/"message":"chat action".*"reason":"muteSenderDomain"/);
    });
  });
});
