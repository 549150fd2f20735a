import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const TOKEN = 'Tok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3n';
const TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:relay-topic';
const sns = mockClient(SNSClient);
const secrets = mockClient(SecretsManagerClient);
let handler: (event: APIGatewayProxyEventV2) => Promise<APIGatewayProxyStructuredResultV2>;

const request = (token: string, body: string): APIGatewayProxyEventV2 =>
  ({ pathParameters: { token }, body, isBase64Encoded: false }) as unknown as APIGatewayProxyEventV2;
const fixture = (name: string): string => readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8');

beforeAll(() => {
  process.env.TOPIC_ARN = TOPIC_ARN;
  process.env.TOKEN_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:token';
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  // The handler reads its environment at load time, so it is loaded only once the environment is set.
  ({ handler } = require('../../functions/ingest-webhook') as typeof import('../../functions/ingest-webhook'));
});

beforeEach(() => {
  sns.reset();
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: `${TOKEN}\n` });
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

  it('answers 503 when SNS keeps failing', async () => {
    sns.on(PublishCommand).rejects(Object.assign(new Error('Service unavailable'), { name: 'InternalErrorException', $retryable: {} }));
    const response = await handler(request(TOKEN, fixture('permanent_failure')));
    expect(response.statusCode).toBe(503);
  }, 20_000);

  it('reads the token secret once and serves later requests from the cache', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm' });
    await handler(request(TOKEN, fixture('opened')));
    await handler(request(TOKEN, fixture('delivered')));
    // The first test already filled the cache; no read is needed within its max age.
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(0);
  });
});
