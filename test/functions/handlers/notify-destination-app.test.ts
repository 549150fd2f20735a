import {
  DynamoDBClient,
  GetItemCommand,
  type GetItemCommandInput,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
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
  NOTIFIER_URL_SECRET,
  notifierEnvironment,
} from '../../support/notifier-env';

/*
 * The deployed notifier of a destination in Slack app mode: the bot token from its secret (JSON), threads in the
 * relay table (never PHI, with a TTL), follow-ups the routes do not ask for posted only into a thread.
 */

const BOT_TOKEN = 'xoxb-deployed-token';
const CHANNEL = 'C0DEPLOYED1';
const secrets = mockClient(SecretsManagerClient);
const dynamo = mockClient(DynamoDBClient);
const sqs = mockClient(SQSClient);
let handler: (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse>;
let posts: { url: string; form: Record<string, string>; authorization: string | undefined }[];
/** Thread items by partition key, as the table holds them. */
let table: Map<string, Record<string, unknown>>;

const queuedEvent = (name: string, message: string, id: number): string => {
  const raw = JSON.parse(readFileSync(join(__dirname, '..', '..', 'fixtures', 'paubox', `${name}.json`), 'utf8'));
  raw.payload = {
    ...raw.payload,
    id,
    source_tracking_id: `track-${message}`,
    header_message_id: `<${message}@x.example>`,
  };
  const parsed = parsePauboxWebhook(raw);
  if (parsed.kind !== 'event') throw new Error('fixture is not an event');
  return JSON.stringify(parsed.event);
};

beforeAll(() => {
  Object.assign(
    process.env,
    notifierEnvironment({
      DESTINATION_NAME: 'app',
      DESTINATION_KIND: 'slack',
      DESTINATION_CHANNEL: CHANNEL,
      ROUTED_FILTER_POLICY: JSON.stringify({ event_type: ['permanent_failure', 'temporary_failure'] }),
      DIGEST_MIN_GROUP_SIZE: '10000',
    }),
  );
  ({ handler } =
    require('../../../functions/handlers/notify-destination') as typeof import('../../../functions/handlers/notify-destination'));
});

beforeEach(() => {
  for (const stream of [process.stdout, process.stderr]) jest.spyOn(stream, 'write').mockImplementation(() => true);
  posts = [];
  table = new Map();
  let ts = 0;
  jest.spyOn(httpPost, 'post').mockImplementation(async (url, body, headers) => {
    const form = Object.fromEntries(new URLSearchParams(body));
    posts.push({ url, form, authorization: headers.authorization });
    const method = new URL(url).pathname.split('/').pop();
    const answer = method === 'chat.postMessage' ? { ok: true, ts: `1700000000.00000${++ts}` } : { ok: true };
    return { status: 200, headers: {}, body: JSON.stringify(answer) };
  });
  secrets.reset();
  secrets.on(GetSecretValueCommand, { SecretId: NOTIFIER_URL_SECRET }).resolves({
    SecretString: JSON.stringify({ botToken: BOT_TOKEN, signingSecret: 'signing' }),
  });
  secrets.on(GetSecretValueCommand, { SecretId: NOTIFIER_KEY_SECRET }).resolves({ SecretString: 'k'.repeat(64) });
  dynamo.reset();
  sqs.reset();
  dynamo.on(UpdateItemCommand).resolves({});
  dynamo.on(PutItemCommand).callsFake((input: { Item: Record<string, { S?: string }> }) => {
    const pk = input.Item.pk!.S!;
    if (pk.startsWith('#thread#')) table.set(pk, input.Item);
    return {};
  });
  dynamo.on(GetItemCommand).callsFake((input: GetItemCommandInput) => ({ Item: table.get(input.Key!.pk!.S!) }));
  sqs.on(SendMessageCommand).resolves({ MessageId: 'dl-1' });
});
afterEach(() => jest.restoreAllMocks());

const methods = () => posts.map((p) => new URL(p.url).pathname.replace('/api/', ''));

describe('notifier Lambda in Slack app mode', () => {
  it('threads a temporary failure and its delivery, keeping the thread in the table without PHI', async () => {
    const first = await handler(firstDeliveries([queuedEvent('temporary_failure', 'm1', 1)]));
    expect(first.batchItemFailures).toEqual([]);
    expect(methods()).toEqual(['chat.postMessage']);
    expect(posts[0]!.url).toBe('https://slack.com/api/chat.postMessage');
    expect(posts[0]!.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(posts[0]!.form.channel).toBe(CHANNEL);

    const [pk, item] = [...table][0]!;
    expect(pk).toMatch(/^#thread#app#m-[0-9a-f]{32}$/);
    expect(item).toMatchObject({
      channel: { S: CHANNEL },
      ts: { S: '1700000000.000001' },
      state: { S: 'temporary_failure' },
    });
    expect(Number((item.expiresAt as { N: string }).N)).toBeGreaterThan(Date.now() / 1000 + 6 * 86_400);
    // Neither the tracking id nor the Message-ID nor the address: only a hash of the message key.
    expect(JSON.stringify(item)).not.toMatch(/track-m1|m1@x\.example|sam\.rivera/);

    await handler(firstDeliveries([queuedEvent('delivered', 'm1', 2)]));
    expect(methods()).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    expect(posts[1]!.form).toMatchObject({ channel: CHANNEL, ts: '1700000000.000001' });
    expect(posts[1]!.form.blocks).toContain('after all');
    expect(posts[2]!.form).toMatchObject({ channel: CHANNEL, thread_ts: '1700000000.000001' });
    expect(item.state).toEqual({ S: 'temporary_failure' });
    expect(table.get(pk)!.state).toEqual({ S: 'delivered' });
  });

  it('posts a follow-up into the thread its first alert starts in the same batch', async () => {
    const batch = [queuedEvent('delivered', 'm4', 1), queuedEvent('temporary_failure', 'm4', 2)];
    const outcome = await handler(firstDeliveries(batch));
    expect(outcome.batchItemFailures).toEqual([]);
    // The failure first, whatever the order of the batch: the delivery then rewrites it and replies.
    expect(methods()).toEqual(['chat.postMessage', 'chat.update', 'chat.postMessage']);
    expect(posts[2]!.form.thread_ts).toBe('1700000000.000001');
  });

  it('drops a follow-up about a message without a thread, and posts nothing', async () => {
    const outcome = await handler(firstDeliveries([queuedEvent('delivered', 'never', 1)]));
    expect(outcome.batchItemFailures).toEqual([]);
    expect(posts).toEqual([]);
  });

  it('hands the batch back when the secret holds no bot token yet', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: NOTIFIER_URL_SECRET })
      .resolves({ SecretString: 'placeholder-value' });
    const outcome = await handler(firstDeliveries([queuedEvent('permanent_failure', 'm2', 1)]));
    expect(outcome.batchItemFailures).toEqual([{ itemIdentifier: 'msg-1' }]);
    expect(posts).toEqual([]);
  });

  it('dead-letters a post that Slack answers with channel_not_found, at once', async () => {
    jest
      .spyOn(httpPost, 'post')
      .mockResolvedValue({ status: 200, headers: {}, body: '{"ok":false,"error":"channel_not_found"}' });
    const outcome = await handler(firstDeliveries([queuedEvent('permanent_failure', 'm3', 1)]));
    expect(outcome.batchItemFailures).toEqual([]);
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.QueueUrl).toBe(NOTIFIER_DLQ_URL);
    expect(sent[0]!.MessageAttributes!.reason!.StringValue).toBe('channel_not_found');
    // One attempt: a broken error is never retried.
    expect(httpPost.post).toHaveBeenCalledTimes(1);
  });
});
