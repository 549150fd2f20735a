import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { deploySelfTest } from '../../../functions/ingest/deploy-self-test';
import { runSelfTest, SelfTestError } from '../../../functions/ingest/self-test';
import { selfTestNonce } from '../../../functions/ingest/self-test-marker';
import { dynamoSelfTestRecords } from '../../../functions/ingest/self-test-store';
import { silentLogger } from '../../../functions/observability';

/*
 * The self-test against a fake API endpoint on 127.0.0.1 and a mocked relay table: each broken hop fails with a
 * message naming it, and the deploy's answer to CloudFormation carries that message.
 */

const dynamo = mockClient(DynamoDBClient);
const TABLE = 'relay-table';
const records = dynamoSelfTestRecords(() => new DynamoDBClient({}), TABLE);

interface Received {
  readonly headers: IncomingMessage['headers'];
  readonly body: string;
}
let server: Server;
let url: string;
let received: Received[];
let answer: (res: ServerResponse, body: string) => void;

beforeEach(async () => {
  dynamo.reset();
  dynamo.on(GetItemCommand).resolves({});
  received = [];
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      received.push({ headers: req.headers, body });
      answer(res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/paubox/Tok3n`;
});
afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** API Gateway's answer: 202 with SQS's own JSON; the consumer "reads" it once GetItem finds its item. */
function acceptAndConsumeAfter(polls: number) {
  answer = (res, body) => {
    const nonce = selfTestNonce(Buffer.from(body))!;
    let calls = 0;
    dynamo.on(GetItemCommand).callsFake((input: { Key: { pk: { S: string } } }) => {
      calls += 1;
      const found = input.Key.pk.S === `#selftest#${nonce}` && calls > polls;
      return found ? { Item: { pk: { S: input.Key.pk.S } } } : {};
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: 'm-1' } } }));
  };
}

const fast = {
  pollMs: 1,
  readTimeoutMs: 200,
  answerTimeoutMs: 300,
  sleep: () => new Promise<void>((r) => setImmediate(r)),
};

describe('runSelfTest', () => {
  it('posts as Paubox does (JSON, no signature headers, no Content-Encoding) and passes api, queued, consumed', async () => {
    acceptAndConsumeAfter(2);
    const hops = await runSelfTest({ webhookUrl: url, records, ...fast });
    expect(hops.map((h) => h.hop)).toEqual(['api', 'queued', 'consumed']);
    expect(received).toHaveLength(1);
    const { headers, body } = received[0]!;
    expect(headers['content-type']).toBe('application/json');
    expect(Object.keys(headers).filter((h) => h.startsWith('webhook-') || h === 'content-encoding')).toEqual([]);
    expect(JSON.parse(body)).toMatchObject({ event_name: 'relay_self_test', payload: { id: 0 } });
    expect(dynamo.commandCalls(GetItemCommand)[0]!.args[0].input).toMatchObject({
      TableName: TABLE,
      ConsistentRead: true,
    });
    expect(dynamo.commandCalls(PutItemCommand)).toHaveLength(0);
  });

  it('a non-2xx answer fails the api hop, with what to do', async () => {
    answer = (res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"message":"Not Found"}');
    };
    const failure = runSelfTest({ webhookUrl: url, records, ...fast });
    await expect(failure).rejects.toBeInstanceOf(SelfTestError);
    await expect(failure).rejects.toMatchObject({
      hop: 'api',
      message: expect.stringMatching(/^api: answered 404; no webhook route/),
    });
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(0);
  });

  it('no answer in time fails the api hop, and says selfTest: false is for functions without internet', async () => {
    answer = () => undefined;
    await expect(runSelfTest({ webhookUrl: url, records, ...fast })).rejects.toMatchObject({
      hop: 'api',
      message: expect.stringContaining('no answer within 0.3 s'),
    });
  });

  it('a 2xx that is not the queue’s answer fails the queued hop', async () => {
    answer = (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>a parked domain</html>');
    };
    await expect(runSelfTest({ webhookUrl: url, records, ...fast })).rejects.toMatchObject({ hop: 'queued' });
  });

  it('a message the consumer never reads fails the consumed hop, naming where to look', async () => {
    acceptAndConsumeAfter(Number.POSITIVE_INFINITY);
    await expect(runSelfTest({ webhookUrl: url, records, ...fast })).rejects.toMatchObject({
      hop: 'consumed',
      message: expect.stringContaining(
        "the consumer did not read it within 0.2 s: see the ingest function's log group",
      ),
    });
    expect(dynamo.commandCalls(GetItemCommand).length).toBeGreaterThan(1);
  });

  it('a table it may not read fails the consumed hop with the error name only', async () => {
    acceptAndConsumeAfter(0);
    answer = ((inner) => (res: ServerResponse, body: string) => {
      inner(res, body);
      dynamo
        .on(GetItemCommand)
        .rejects(Object.assign(new Error('not authorized on arn:…'), { name: 'AccessDeniedException' }));
    })(answer);
    await expect(runSelfTest({ webhookUrl: url, records, ...fast })).rejects.toMatchObject({
      hop: 'consumed',
      message: "consumed: the relay table could not be read (AccessDeniedException): check the reader's GetItem grant",
    });
  });
});

describe('deploySelfTest (what CloudFormation is told)', () => {
  const event = (type: 'Create' | 'Update' | 'Delete', acceptPath: string, physical?: string) => ({
    RequestType: type,
    ResponseURL: 'https://example.invalid/',
    StackId: 'stack',
    RequestId: 'r',
    LogicalResourceId: 'RelaySelfTest',
    ...(physical ? { PhysicalResourceId: physical } : {}),
    ResourceProperties: { AcceptPath: acceptPath },
  });
  const deps = () => ({ webhookUrl: async () => url, records, logger: silentLogger, ...fast });

  it('a create that passes succeeds, its physical id naming the accept path proven', async () => {
    acceptAndConsumeAfter(0);
    expect(await deploySelfTest(event('Create', 'abc'), deps())).toMatchObject({
      status: 'SUCCESS',
      physicalResourceId: 'paubox-self-test-abc',
      reason: expect.stringMatching(/^self-test passed: api \d+ ms, queued \d+ ms, consumed \d+ ms$/),
    });
  });

  it('a broken hop fails the deploy with its name, and nothing of the URL or token', async () => {
    answer = (res) => {
      res.writeHead(500);
      res.end();
    };
    const result = await deploySelfTest(event('Update', 'new', 'paubox-self-test-old'), deps());
    expect(result.status).toBe('FAILED');
    expect(result.reason).toMatch(
      /^Self-test of the accept path failed at api: answered 500; API Gateway could not write/,
    );
    expect(result.reason).not.toContain('Tok3n');
    expect(result.reason).not.toContain('127.0.0.1');
    expect(result.physicalResourceId).toBe('paubox-self-test-old');
  });

  it('a token secret it cannot read fails the deploy', async () => {
    const result = await deploySelfTest(event('Create', 'abc'), {
      ...deps(),
      webhookUrl: async () => {
        throw Object.assign(new Error('denied'), { name: 'AccessDeniedException' });
      },
    });
    expect(result).toMatchObject({
      status: 'FAILED',
      reason: expect.stringContaining('token secret could not be read (AccessDeniedException)'),
    });
  });

  it('a rollback to the accept path proven before, and a delete, post nothing', async () => {
    answer = (res) => {
      res.writeHead(500);
      res.end();
    };
    expect(await deploySelfTest(event('Update', 'old', 'paubox-self-test-old'), deps())).toMatchObject({
      status: 'SUCCESS',
    });
    expect(await deploySelfTest(event('Delete', 'old', 'paubox-self-test-old'), deps())).toMatchObject({
      status: 'SUCCESS',
    });
    expect(received).toEqual([]);
  });
});
