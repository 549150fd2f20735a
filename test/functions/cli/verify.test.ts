import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand } from '@aws-sdk/client-sqs';
import { runCli } from '../../../functions/cli';
import { selfTestNonce } from '../../../functions/ingest';
import { captureIo, DLQ, mockDeployedStack, OUTPUTS } from '../../support/deployed-stack';

/*
 * `verify` against a deployed stack: its outputs, token secret, table and queues mocked, its API a fake on
 * 127.0.0.1 answering as API Gateway's SQS integration does. The consumer "reads" the self-test once posted.
 */

const TOKEN = 'Tok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3n';
const mocks = mockDeployedStack();
let api: Server;
let baseUrl: string;
let posted: string[];

beforeAll(async () => {
  api = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      posted.push(`${req.url} ${Buffer.concat(chunks).toString('utf8')}`);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ SendMessageResponse: { SendMessageResult: { MessageId: 'm-1' } } }));
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}/paubox/`;
});
afterAll(async () => {
  api.closeAllConnections();
  await new Promise<void>((resolve) => api.close(() => resolve()));
});

beforeEach(() => {
  posted = [];
  const outputs = {
    ...OUTPUTS,
    WebhookBaseUrl: baseUrl,
    OpsDestinationName: 'ops',
    CareTeamDestinationName: 'care-team',
  };
  mocks.cfn.on(DescribeStacksCommand, { StackName: 'PauboxAlertRelay' }).resolves({
    Stacks: [
      {
        StackName: 'PauboxAlertRelay',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  // The destinations' secrets still hold their placeholders: no valid URL to probe.
  mocks.secrets.on(GetSecretValueCommand).resolves({ SecretString: 'placeholder' });
  mocks.secrets.on(GetSecretValueCommand, { SecretId: OUTPUTS.TokenSecretName }).resolves({ SecretString: TOKEN });
  mocks.dynamo.on(GetItemCommand).callsFake((input: { Key: { pk: { S: string } } }) => {
    const read = posted.some(
      (p) => `#selftest#${selfTestNonce(Buffer.from(p.split(' ').slice(1).join(' ')))}` === input.Key.pk.S,
    );
    return read ? { Item: input.Key } : {};
  });
  mocks.sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
});

async function verify() {
  const io = captureIo();
  const code = await runCli(['verify'], io);
  return { code, lines: io.stdout().trimEnd().split('\n'), stderr: io.stderr() };
}

describe('verify (deployed)', () => {
  it('posts to the real token path, waits for the table item, reads every queue, and stops at the first broken probe', async () => {
    const { code, lines } = await verify();
    expect(posted).toHaveLength(1);
    expect(posted[0]).toMatch(new RegExp(`^/paubox/${TOKEN} \\{"event_name":"relay_self_test"`));
    expect(mocks.dynamo.commandCalls(GetItemCommand)[0]!.args[0].input.TableName).toBe(OUTPUTS.DedupTableName);
    expect(
      lines.map((l) =>
        l
          .split(/\s{2,}/)
          .slice(0, 2)
          .join(' | '),
      ),
    ).toEqual([
      'ok | api',
      'ok | queued',
      'ok | consumed',
      'ok | published',
      'ok | ops queue',
      'ok | ops notifier',
      'ok | care-team queue',
      'ok | care-team notifier',
      'BROKEN | ops probe',
    ]);
    expect(lines.at(-1)).toContain(
      'ops (slack): BROKEN (no_valid_url_in_secret); fix: npx paubox-relay set-destination ops',
    );
    expect(lines.join('\n')).not.toContain(TOKEN);
    expect(code).toBe(1);
  });

  it("exits 1 at a destination's dead letters, with the command that shows why", async () => {
    mocks.sqs
      .on(GetQueueAttributesCommand, { QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ops-dlq' })
      .resolves({
        Attributes: { ApproximateNumberOfMessages: '2' },
      });
    expect(DLQ).toContain('relay-ops-dlq');
    const { code, lines } = await verify();
    expect(code).toBe(1);
    expect(lines.at(-1)).toMatch(
      /^BROKEN\s+ops notifier\s+2 dead letter\(s\); see why: npx paubox-relay dead-letters ops$/,
    );
  });
});
