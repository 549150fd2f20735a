import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePauboxWebhook } from '../../functions/commons/paubox-event';

const URL_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ops-url';
const KEY_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:fingerprint';
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/SECRETPART';
const TEAMS_URL = 'https://prod-01.westeurope.logic.azure.com:443/workflows/w1/triggers/manual/paths/invoke?sig=SECRETSIG';

const secrets = mockClient(SecretsManagerClient);
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;
let stdout: string[];
let fetchSpy: jest.SpiedFunction<typeof fetch>;

const queuedEvent = (name: string): string => {
  const parsed = parsePauboxWebhook(JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8')));
  if (parsed.kind !== 'event') throw new Error('fixture is not an event');
  return JSON.stringify(parsed.event);
};
const sqsEvent = (...bodies: string[]): SQSEvent =>
  ({ Records: bodies.map((body, i) => ({ messageId: `msg-${i + 1}`, body })) }) as unknown as SQSEvent;
const storedUrl = (url: string): void => {
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: URL_SECRET }).resolves({ SecretString: url });
  secrets.on(GetSecretValueCommand, { SecretId: KEY_SECRET }).resolves({ SecretString: 'k'.repeat(64) });
};

beforeAll(() => {
  Object.assign(process.env, {
    DESTINATION_NAME: 'ops',
    DESTINATION_KIND: 'auto',
    DESTINATION_DETAIL: 'minimal',
    DESTINATION_SECRET_ARN: URL_SECRET,
    FINGERPRINT_SECRET_ARN: KEY_SECRET,
    SECRET_CACHE_SECONDS: '0',
  });
  // The handler reads its environment at load time, so it is loaded only once the environment is set.
  ({ handler } = require('../../functions/notify-destination') as typeof import('../../functions/notify-destination'));
});

beforeEach(() => {
  stdout = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((line) => {
    stdout.push(String(line));
    return true;
  });
  fetchSpy = jest.spyOn(globalThis, 'fetch');
});
afterEach(() => jest.restoreAllMocks());

describe('notifier Lambda', () => {
  it('reports only the records that failed, so SQS retries just those', async () => {
    storedUrl(SLACK_URL);
    fetchSpy
      .mockResolvedValueOnce(new Response('ok', { status: 200 }))
      .mockResolvedValueOnce(new Response('rollup_error', { status: 500 }))
      .mockResolvedValueOnce(new Response('ok', { status: 200 }));
    const response = await handler(
      sqsEvent(queuedEvent('permanent_failure'), '{"not":"an event"}', queuedEvent('temporary_failure'), queuedEvent('opened')),
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-2' }, { itemIdentifier: 'msg-3' }]);
    expect(fetchSpy).toHaveBeenCalledTimes(3);
    const [url, init] = fetchSpy.mock.calls[0]!;
    expect(String(url)).toBe(SLACK_URL);
    const posted = JSON.parse(String(init!.body));
    expect(posted.text).toContain('Message failed to send');
    expect(posted.blocks[0]).toMatchObject({ type: 'header', text: { text: 'Message failed to send' } });
    expect(JSON.stringify(posted)).not.toContain('jordan.lee@patients.example.org');
  });

  it('detects Teams from the stored URL and posts the Workflows envelope', async () => {
    storedUrl(TEAMS_URL);
    fetchSpy.mockResolvedValueOnce(new Response(null, { status: 202 }));
    const response = await handler(sqsEvent(queuedEvent('permanent_failure')));
    expect(response.batchItemFailures).toEqual([]);
    const posted = JSON.parse(String(fetchSpy.mock.calls[0]![1]!.body));
    expect(posted).toMatchObject({
      type: 'message',
      attachments: [{ contentType: 'application/vnd.microsoft.card.adaptive', content: { type: 'AdaptiveCard', version: '1.4' } }],
    });
  });

  it('refuses a stored URL on another host, and logs why without the URL', async () => {
    storedUrl('https://attacker.example.net/services/SECRETPART');
    const response = await handler(sqsEvent(queuedEvent('permanent_failure')));
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(fetchSpy).not.toHaveBeenCalled();
    const logs = stdout.join('');
    expect(logs).toContain('attacker.example.net, which is neither Slack');
    expect(logs).not.toContain('SECRETPART');
  });

  it('never logs the webhook URL, the recipient or the subject', async () => {
    storedUrl(SLACK_URL);
    fetchSpy.mockResolvedValueOnce(new Response('no_service', { status: 404 }));
    await handler(sqsEvent(queuedEvent('permanent_failure')));
    const logs = stdout.join('');
    expect(logs).toContain('no_service');
    for (const secret of ['SECRETPART', 'hooks.slack.com', 'jordan.lee', 'Your appointment']) expect(logs).not.toContain(secret);
  });
});
