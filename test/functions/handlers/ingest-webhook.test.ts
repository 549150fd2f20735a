import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSigningSecret, signWebhook } from '../../../functions/paubox/signature';

const TOKEN = 'Tok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3n';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:relay-topic';
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
const FALLBACK_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-fallback';
let handler: (event: APIGatewayProxyEventV2, context?: Context) => Promise<APIGatewayProxyStructuredResultV2>;
const output: string[] = [];
/** The JSON lines written since the last `output.length = 0`. */
const lines = (): Record<string, unknown>[] =>
  output
    .join('')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
const emf = (name: string) => lines().filter((l) => name in l);
const CONTEXT = {
  functionName: 'relay-ingest',
  invokedFunctionArn: 'arn:aws:lambda:eu-west-1:111122223333:function:relay-ingest',
  memoryLimitInMB: '256',
  awsRequestId: 'req-1',
} as Context;

const request = (token: string, body: string): APIGatewayProxyEventV2 =>
  ({ pathParameters: { token }, body, isBase64Encoded: false }) as unknown as APIGatewayProxyEventV2;
const fixture = (name: string): string =>
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'paubox', `${name}.json`), 'utf8');

beforeAll(() => {
  process.env.TOPIC_ARN = TOPIC_ARN;
  process.env.TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:token';
  process.env.FALLBACK_QUEUE_URL = FALLBACK_URL;
  jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
    output.push(String(line));
    return true;
  });
  // The handler reads its environment at load time, so it is loaded only once the environment is set.
  ({ handler } =
    require('../../../functions/handlers/ingest-webhook') as typeof import('../../../functions/handlers/ingest-webhook'));
});

beforeEach(() => {
  sns.reset();
  secrets.reset();
  sqs.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: `${TOKEN}\n` });
  output.length = 0;
});

describe('ingest Lambda', () => {
  it('publishes the normalized event with routing attributes and answers 202', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const response = await handler(request(TOKEN, fixture('temporary_failure')));
    expect(response.statusCode).toBe(202);
    expect(response.headers).toEqual({ 'content-type': 'application/json' });
    const calls = sns.commandCalls(PublishCommand);
    expect(calls).toHaveLength(1);
    const input = calls[0]!.args[0].input;
    expect(input.TopicArn).toBe(TOPIC_ARN);
    expect(input.MessageAttributes).toEqual({
      event_type: { DataType: 'String', StringValue: 'temporary_failure' },
      sender_domain: { DataType: 'String', StringValue: 'mail.clinic.example.com' },
    });
    const published = JSON.parse(input.Message!);
    expect(published).toMatchObject({ type: 'temporary_failure', recipients: ['sam.rivera@inbox.example.net'] });
    expect(JSON.parse(response.body!)).toEqual({ status: 'accepted', id: published.key });
  });

  it('answers 401 to a wrong token without publishing', async () => {
    const response = await handler(request(`${TOKEN}x`, fixture('temporary_failure')));
    expect(response.statusCode).toBe(401);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it('keeps the event in the fallback queue when SNS keeps failing, and still answers 202', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException' }));
    sqs.on(SendMessageCommand).resolves({ MessageId: 'f-1' });
    const response = await handler(request(TOKEN, fixture('permanent_failure')));
    expect(response.statusCode).toBe(202);
    const kept = sqs.commandCalls(SendMessageCommand);
    expect(kept).toHaveLength(1);
    expect(kept[0]!.args[0].input.QueueUrl).toBe(FALLBACK_URL);
    expect(JSON.parse(kept[0]!.args[0].input.MessageBody!)).toMatchObject({
      type: 'permanent_failure',
      key: JSON.parse(response.body!).id,
    });
  });

  it('answers 503 only when neither SNS nor the fallback queue kept the event', async () => {
    sns.on(PublishCommand).rejects(new Error('Service unavailable'));
    sqs.on(SendMessageCommand).rejects(new Error('Service unavailable'));
    const response = await handler(request(TOKEN, fixture('permanent_failure')));
    expect(response.statusCode).toBe(503);
  });

  it('reads the token secret once and serves later requests from the cache', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await handler(request(TOKEN, fixture('opened')));
    await handler(request(TOKEN, fixture('delivered')));
    // The first test already filled the cache; no read is needed within its max age.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('counts accepted events by type and rejected webhooks by reason, as EMF in the PauboxAlertRelay namespace', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await handler(request(TOKEN, fixture('permanent_failure')), CONTEXT);
    await handler(request(`${TOKEN}x`, fixture('permanent_failure')), CONTEXT);
    await handler(request(TOKEN, '{"event_name":'), CONTEXT);
    const [received] = emf('EventsReceived');
    expect(received).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'PauboxAlertRelay',
            Dimensions: [['service', 'EventType']],
            Metrics: [{ Name: 'EventsReceived', Unit: 'Count' }],
          },
        ],
      },
      service: 'ingest',
      EventType: 'permanent_failure',
      EventsReceived: 1,
    });
    expect(
      emf('WebhooksRejected').map((l) => [
        l.Reason,
        l.WebhooksRejected,
        (l._aws as { CloudWatchMetrics: { Dimensions: unknown }[] }).CloudWatchMetrics[0]!.Dimensions,
      ]),
    ).toEqual([
      ['unauthorized', 1, [['service', 'Reason']]],
      ['malformed_json', 1, [['service', 'Reason']]],
    ]);
  });

  it('logs in the Powertools shape with the function context and trace id, and never the token or the recipient', async () => {
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    const response = await handler(request(TOKEN, fixture('permanent_failure')), CONTEXT);
    await handler(request(`${TOKEN}x`, fixture('permanent_failure')), CONTEXT);
    delete process.env._X_AMZN_TRACE_ID;
    const logs = lines().filter((l) => 'message' in l);
    expect(logs[0]).toMatchObject({
      level: 'INFO',
      message: 'accepted event',
      service: 'ingest',
      function_name: 'relay-ingest',
      function_request_id: 'req-1',
      function_memory_size: 256,
      xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793',
      eventKey: JSON.parse(response.body!).id,
      eventType: 'permanent_failure',
    });
    expect(logs[0]!.timestamp).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(logs[1]).toMatchObject({ level: 'WARN', message: 'rejected webhook', status: 401, cold_start: false });
    const text = output.join('');
    for (const secret of [TOKEN, 'jordan.lee', 'Your appointment']) expect(text).not.toContain(secret);
  });
});

describe('ingest Lambda after a token rotation, with signatures required', () => {
  const NEW = 'N3wTok3nN3wTok3nN3wTok3nN3wTok3nN3wTok3nN3wTok3n';
  const SIGNING_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:signing';
  const KEY_B64 = Buffer.from('a signing key of 32 random bytes').toString('base64');
  let rotated: typeof handler;
  // A second copy of the handler, with other settings, loads its own SDK modules: mock those.
  let isolatedSecrets: typeof secrets;
  let isolatedSns: typeof sns;
  let IsolatedGetSecretValue: typeof GetSecretValueCommand;
  let IsolatedPublish: typeof PublishCommand;

  beforeAll(() => {
    process.env.SIGNING_SECRET_ARN = SIGNING_ARN;
    process.env.TOKEN_CACHE_SECONDS = '0';
    jest.isolateModules(() => {
      const sm = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
      const sn = require('@aws-sdk/client-sns') as typeof import('@aws-sdk/client-sns');
      const { mockClient: isolatedMock } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
      isolatedSecrets = isolatedMock(sm.SecretsManagerClient) as unknown as typeof secrets;
      isolatedSns = isolatedMock(sn.SNSClient) as unknown as typeof sns;
      // The handler's clients come from this copy, but its commands are made from the SDK packages it requires on
      // first use, which is after this scope: those resolve to the test's own copy, imported above.
      void sm;
      void sn;
      IsolatedGetSecretValue = GetSecretValueCommand;
      IsolatedPublish = PublishCommand;
      ({ handler: rotated } =
        require('../../../functions/handlers/ingest-webhook') as typeof import('../../../functions/handlers/ingest-webhook'));
    });
    delete process.env.SIGNING_SECRET_ARN;
    delete process.env.TOKEN_CACHE_SECONDS;
  });

  const signedRequest = (token: string, body: string): APIGatewayProxyEventV2 => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(parseSigningSecret(`whsec_${KEY_B64}`), 'msg_1', timestamp, Buffer.from(body));
    return {
      ...request(token, body),
      headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
    } as APIGatewayProxyEventV2;
  };

  function secretsHold(previousValidUntil: string) {
    isolatedSecrets.reset();
    isolatedSns.reset();
    isolatedSns.on(IsolatedPublish).resolves({ MessageId: 'm' });
    isolatedSecrets
      .on(IsolatedGetSecretValue, { SecretId: process.env.TOKEN_SECRET_ARN })
      .resolves({ SecretString: JSON.stringify({ token: NEW, previousToken: TOKEN, previousValidUntil }) });
    isolatedSecrets
      .on(IsolatedGetSecretValue, { SecretId: SIGNING_ARN })
      .resolves({ SecretString: `whsec_${KEY_B64}` });
  }

  it('accepts the new token and, during the overlap, the previous one', async () => {
    secretsHold(new Date(Date.now() + 3_600_000).toISOString());
    expect((await rotated(signedRequest(NEW, fixture('opened')))).statusCode).toBe(202);
    expect((await rotated(signedRequest(TOKEN, fixture('opened')))).statusCode).toBe(202);
    expect(isolatedSns.commandCalls(IsolatedPublish)).toHaveLength(2);
  });

  it('refuses the previous token once the overlap has ended', async () => {
    secretsHold(new Date(Date.now() - 1000).toISOString());
    expect((await rotated(signedRequest(TOKEN, fixture('opened')))).statusCode).toBe(401);
    expect((await rotated(signedRequest(NEW, fixture('opened')))).statusCode).toBe(202);
  });

  it('refuses an unsigned webhook with the right token', async () => {
    secretsHold(new Date(Date.now() + 3_600_000).toISOString());
    const response = await rotated(request(NEW, fixture('opened')));
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body!)).toMatchObject({ error: 'invalid_signature' });
    expect(isolatedSns.commandCalls(IsolatedPublish)).toHaveLength(0);
  });
});

describe('ingest Lambda while the signing secret still holds its placeholder', () => {
  const SIGNING_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:signing-placeholder';
  let unsigned: typeof handler;
  let isolatedSecrets: typeof secrets;

  beforeAll(() => {
    process.env.SIGNING_SECRET_ARN = SIGNING_ARN;
    jest.isolateModules(() => {
      const sm = require('@aws-sdk/client-secrets-manager') as typeof import('@aws-sdk/client-secrets-manager');
      const { mockClient: isolatedMock } = require('aws-sdk-client-mock') as typeof import('aws-sdk-client-mock');
      isolatedSecrets = isolatedMock(sm.SecretsManagerClient) as unknown as typeof secrets;
      ({ handler: unsigned } =
        require('../../../functions/handlers/ingest-webhook') as typeof import('../../../functions/handlers/ingest-webhook'));
    });
    delete process.env.SIGNING_SECRET_ARN;
  });

  it('answers 503 to every webhook, reading the secret once per cache period rather than once per webhook', async () => {
    // Commands come from the SDK copy the handler requires on first use: the test's own (see above).
    isolatedSecrets
      .on(GetSecretValueCommand, { SecretId: process.env.TOKEN_SECRET_ARN })
      .resolves({ SecretString: TOKEN });
    isolatedSecrets
      .on(GetSecretValueCommand, { SecretId: SIGNING_ARN })
      .resolves({ SecretString: 'set this to the whsec_ value' });
    for (let i = 0; i < 3; i++) expect((await unsigned(request(TOKEN, fixture('opened')))).statusCode).toBe(503);
    const reads = isolatedSecrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId);
    expect(reads.filter((id) => id === SIGNING_ARN)).toHaveLength(1);
  });
});
