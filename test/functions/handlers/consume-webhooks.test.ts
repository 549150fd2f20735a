import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ATTRIBUTE_PREFIX, type QueuedAttributeName } from '../../../functions/ingest';
import { parseSigningSecret, signWebhook } from '../../../functions/paubox';

/*
 * The ingest consumer as Lambda runs it, fed SQS records shaped as API Gateway's SQS-SendMessage integration writes
 * them. What Paubox was answered is no longer its business (API Gateway answered 202 on queueing); what matters is
 * what becomes of each record: published, quarantined with its reason, or handed back to the queue.
 */

const TOKEN = 'Tok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3n';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:relay-topic';
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
const QUARANTINE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ingest-dlq';
type Handler = (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;
let handler: Handler;
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

interface Queued {
  readonly token: string;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}
const request = (token: string, body: string): Queued => ({ token, body });

/** A record as the integration writes it: every attribute behind its prefix, empty when the request had none. */
function recordOf(queued: Queued, i: number): SQSEvent['Records'][number] {
  const values: Record<QueuedAttributeName, string> = {
    token: queued.token,
    webhookId: queued.headers?.['webhook-id'] ?? '',
    webhookTimestamp: queued.headers?.['webhook-timestamp'] ?? '',
    webhookSignature: queued.headers?.['webhook-signature'] ?? '',
    receivedAt: String(Date.now()),
    requestId: `req-${i}`,
  };
  return {
    messageId: `msg-${i}`,
    body: queued.body,
    attributes: { SentTimestamp: String(Date.now()) },
    messageAttributes: Object.fromEntries(
      Object.entries(values).map(([name, value]) => [
        name,
        { dataType: 'String', stringValue: `${ATTRIBUTE_PREFIX}${value}` },
      ]),
    ),
  } as unknown as SQSEvent['Records'][number];
}

interface Outcome {
  /** Handed back to the queue (a partial batch failure). */
  readonly retried: boolean;
  /** The reason it was quarantined with, if it was. */
  readonly quarantined?: string;
}

/** Consumes one queued webhook and says what became of it. */
async function consume(fn: Handler, queued: Queued, context?: Context): Promise<Outcome> {
  const before = sqs.commandCalls(SendMessageCommand).length;
  const { batchItemFailures } = await fn({ Records: [recordOf(queued, 1)] }, context);
  const kept = sqs.commandCalls(SendMessageCommand).slice(before);
  const reason = kept[0]?.args[0].input.MessageAttributes?.reason?.StringValue;
  return { retried: batchItemFailures.length > 0, ...(reason !== undefined ? { quarantined: reason } : {}) };
}
const PUBLISHED: Outcome = { retried: false };
const fixture = (name: string): string =>
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'paubox', `${name}.json`), 'utf8');

beforeAll(() => {
  process.env.TOPIC_ARN = TOPIC_ARN;
  process.env.TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:token';
  process.env.QUARANTINE_QUEUE_URL = QUARANTINE_URL;
  process.env.RELAY_ID = 'TestStack/Relay';
  jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
    output.push(String(line));
    return true;
  });
  // The handler reads its environment at load time, so it is loaded only once the environment is set.
  ({ handler } =
    require('../../../functions/handlers/consume-webhooks') as typeof import('../../../functions/handlers/consume-webhooks'));
});

beforeEach(() => {
  sns.reset();
  secrets.reset();
  sqs.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: `${TOKEN}\n` });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'q-1' });
  output.length = 0;
});

describe('ingest consumer Lambda', () => {
  it('publishes the normalized event with routing attributes, and the record is done', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    expect(await consume(handler, request(TOKEN, fixture('temporary_failure')))).toEqual(PUBLISHED);
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
  });

  it('refuses a webhook with a wrong token: not published, not quarantined, not handed back', async () => {
    const body = fixture('temporary_failure');
    expect(await consume(handler, request(`${TOKEN}x`, body))).toEqual({ retried: false });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(emf('WebhooksRejected')).toHaveLength(1);
  });

  it('reads the token from the request path API Gateway queued, `/paubox/<token>`', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    expect(await consume(handler, request(`/paubox/${TOKEN}`, fixture('opened')))).toEqual(PUBLISHED);
    expect(await consume(handler, request(`/paubox/${TOKEN}x`, fixture('opened')))).toEqual({ retried: false });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });

  it('quarantines a body it cannot read: not JSON, compressed, or not a Paubox notification', async () => {
    expect(await consume(handler, request(TOKEN, '{"event_name":'))).toMatchObject({ quarantined: 'malformed_json' });
    // Base64 of gzip: text SQS accepts, recognised by its first bytes (no header tells it).
    const gzip = request(TOKEN, gzipSync(fixture('opened')).toString('base64'));
    expect(await consume(handler, gzip)).toMatchObject({ quarantined: 'unreadable_body' });
    expect(await consume(handler, request(TOKEN, '{"event_name":"api_mail_log_delivered"}'))).toMatchObject({
      quarantined: 'invalid_payload',
    });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it.each(['identity', 'IDENTITY', ' identity', 'Identity \t'])(
    'reads a body whose content-encoding is %j: compared case-insensitively and trimmed',
    async (encoding) => {
      sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
      const plain = { token: TOKEN, body: fixture('opened'), headers: { 'content-encoding': encoding } };
      expect(await consume(handler, plain)).toEqual(PUBLISHED);
    },
  );

  it('hands the record back to the queue when SNS refuses the event, so SQS retries it', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException' }));
    expect(await consume(handler, request(TOKEN, fixture('permanent_failure')))).toEqual({ retried: true });
  });

  it('hands the record back when it could not be quarantined: nothing unreadable is dropped', async () => {
    sqs.on(SendMessageCommand).rejects(new Error('Service unavailable'));
    const { batchItemFailures } = await handler({ Records: [recordOf(request(TOKEN, '{"event_name":'), 7)] });
    expect(batchItemFailures).toEqual([{ itemIdentifier: 'msg-7' }]);
  });

  it('consumes a batch record by record: only the failed ones are handed back', async () => {
    sns.on(PublishCommand).resolvesOnce({ MessageId: 'm' }).rejectsOnce(new Error('throttled')).resolves({});
    const records = ['delivered', 'opened', 'permanent_failure'].map((n, i) => recordOf(request(TOKEN, fixture(n)), i));
    const { batchItemFailures } = await handler({ Records: records });
    expect(batchItemFailures).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(3);
  });

  it('reads the token secret once and serves later requests from the cache', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await consume(handler, request(TOKEN, fixture('opened')));
    await consume(handler, request(TOKEN, fixture('delivered')));
    // The first test already filled the cache; no read is needed within its max age.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });

  it('counts accepted events by type and rejected webhooks by reason, as EMF in the PauboxAlertRelay namespace', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await consume(handler, request(TOKEN, fixture('permanent_failure')), CONTEXT);
    await consume(handler, request(`${TOKEN}x`, fixture('permanent_failure')), CONTEXT);
    await consume(handler, request(TOKEN, '{"event_name":'), CONTEXT);
    const [received] = emf('EventsReceived');
    expect(received).toMatchObject({
      _aws: {
        CloudWatchMetrics: [
          {
            Namespace: 'PauboxAlertRelay',
            Dimensions: [['service', 'Relay', 'EventType']],
            Metrics: [{ Name: 'EventsReceived', Unit: 'Count' }],
          },
        ],
      },
      service: 'ingest',
      Relay: 'TestStack/Relay',
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
      ['unauthorized', 1, [['service', 'Relay', 'Reason']]],
      ['malformed_json', 1, [['service', 'Relay', 'Reason']]],
    ]);
  });

  it('logs in the Powertools shape with the function context and trace id, and never the token or the recipient', async () => {
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await consume(handler, request(TOKEN, fixture('permanent_failure')), CONTEXT);
    const published = JSON.parse(sns.commandCalls(PublishCommand)[0]!.args[0].input.Message!);
    await consume(handler, request(`${TOKEN}x`, fixture('permanent_failure')), CONTEXT);
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
      eventKey: published.key,
      eventType: 'permanent_failure',
    });
    expect(logs[0]!.timestamp).toEqual(expect.stringMatching(/^\d{4}-\d\d-\d\dT/));
    expect(logs[1]).toMatchObject({ level: 'WARN', message: 'rejected webhook', status: 401, cold_start: false });
    const text = output.join('');
    for (const secret of [TOKEN, 'jordan.lee', 'Your appointment']) expect(text).not.toContain(secret);
  });
});

describe('ingest consumer after a token rotation, with signatures required', () => {
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
        require('../../../functions/handlers/consume-webhooks') as typeof import('../../../functions/handlers/consume-webhooks'));
    });
    delete process.env.SIGNING_SECRET_ARN;
    delete process.env.TOKEN_CACHE_SECONDS;
  });

  const signedRequest = (token: string, body: string): Queued => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(parseSigningSecret(`whsec_${KEY_B64}`), 'msg_1', timestamp, Buffer.from(body));
    return {
      ...request(token, body),
      headers: { 'webhook-id': 'msg_1', 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` },
    };
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
    expect(await consume(rotated, signedRequest(NEW, fixture('opened')))).toEqual(PUBLISHED);
    expect(await consume(rotated, signedRequest(TOKEN, fixture('opened')))).toEqual(PUBLISHED);
    expect(isolatedSns.commandCalls(IsolatedPublish)).toHaveLength(2);
  });

  it('refuses the previous token once the overlap has ended', async () => {
    secretsHold(new Date(Date.now() - 1000).toISOString());
    expect(await consume(rotated, signedRequest(TOKEN, fixture('opened')))).toEqual({ retried: false });
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
    expect(await consume(rotated, signedRequest(NEW, fixture('opened')))).toEqual(PUBLISHED);
  });

  it('refuses an unsigned webhook with the right token', async () => {
    secretsHold(new Date(Date.now() + 3_600_000).toISOString());
    // Refused, not quarantined: only what passed the token and signature can raise a quarantine notice.
    expect(await consume(rotated, request(NEW, fixture('opened')))).toEqual({ retried: false });
    expect(isolatedSns.commandCalls(IsolatedPublish)).toHaveLength(0);
  });
});

describe('ingest consumer while the signing secret still holds its placeholder', () => {
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
        require('../../../functions/handlers/consume-webhooks') as typeof import('../../../functions/handlers/consume-webhooks'));
    });
    delete process.env.SIGNING_SECRET_ARN;
  });

  it('hands every webhook back to the queue, reading the secret once per cache period, not once per webhook', async () => {
    // Commands come from the SDK copy the handler requires on first use: the test's own (see above).
    isolatedSecrets
      .on(GetSecretValueCommand, { SecretId: process.env.TOKEN_SECRET_ARN })
      .resolves({ SecretString: TOKEN });
    isolatedSecrets
      .on(GetSecretValueCommand, { SecretId: SIGNING_ARN })
      .resolves({ SecretString: 'set this to the whsec_ value' });
    for (let i = 0; i < 3; i++)
      expect(await consume(unsigned, request(TOKEN, fixture('opened')))).toEqual({ retried: true });
    const reads = isolatedSecrets.commandCalls(GetSecretValueCommand).map((c) => c.args[0].input.SecretId);
    expect(reads.filter((id) => id === SIGNING_ARN)).toHaveLength(1);
  });
});
