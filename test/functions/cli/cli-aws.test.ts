import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import {
  DeleteMessageCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  SQSClient,
  StartMessageMoveTaskCommand,
} from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { toAlertView } from '../../../functions/alerts/alert-view';
import { decodeQueuedEvent } from '../../../functions/paubox/relay-event';
import { renderSlack } from '../../../functions/chat/slack/render';
import { renderTeams } from '../../../functions/chat/teams/render';
import { runCli, type CliIo } from '../../../functions/cli/run-cli';
import { sendTestAlert } from '../../../functions/cli/test-destination';

const cfn = mockClient(CloudFormationClient);
const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
const dynamo = mockClient(DynamoDBClient);

const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:relay-ops';
const DLQ = 'arn:aws:sqs:eu-west-1:111122223333:relay-ops-dlq';
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/SECRETPART';
const TOKEN = 'Tok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3n';
const OUTPUTS = {
  WebhookBaseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/paubox/',
  TokenSecretName: 'RelayTokenSecret-abc',
  DedupTableName: 'Relay-DedupTable-XYZ',
  OpsDestinationSecretName: 'RelayOpsWebhookUrlSecret-abc',
  OpsDestinationKind: 'slack',
  OpsQueueArn: QUEUE,
  OpsDeadLetterQueueArn: DLQ,
  CareTeamDestinationSecretName: 'RelayCareTeamWebhookUrlSecret-abc',
  CareTeamDestinationKind: 'auto',
  CareTeamQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:relay-care',
  CareTeamDeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:relay-care-dlq',
};

interface Captured extends CliIo {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

function io(stdin = ''): Captured {
  let out = '';
  let err = '';
  return {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: {},
    cwd: process.cwd(),
    readStdin: async () => stdin,
    stopSignal: () => new Promise(() => undefined),
    stdout: () => out,
    stderr: () => err,
  };
}

beforeEach(() => {
  for (const mock of [cfn, secrets, sqs, dynamo]) mock.reset();
  cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id Other does not exist'), { name: 'ValidationError' }));
  cfn.on(DescribeStacksCommand, { StackName: 'PauboxAlertRelay' }).resolves({
    Stacks: [
      {
        StackName: 'PauboxAlertRelay',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries(OUTPUTS).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
});

describe('webhook-url', () => {
  it('prints the base URL and the token from the secret the stack names', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: OUTPUTS.TokenSecretName }).resolves({ SecretString: `${TOKEN}\n` });
    const cli = io();
    await expect(runCli(['webhook-url'], cli)).resolves.toBe(0);
    expect(cli.stdout()).toBe(`${OUTPUTS.WebhookBaseUrl}${TOKEN}\n`);
    expect(cli.stderr()).toContain('credential');
  });

  it('prints the new token, not the one kept for the overlap, after a rotation', async () => {
    const secret = JSON.stringify({ token: TOKEN, previousToken: 'p'.repeat(48), previousValidUntil: '2030-01-01T00:00:00Z' });
    secrets.on(GetSecretValueCommand, { SecretId: OUTPUTS.TokenSecretName }).resolves({ SecretString: secret });
    const cli = io();
    await expect(runCli(['webhook-url'], cli)).resolves.toBe(0);
    expect(cli.stdout()).toBe(`${OUTPUTS.WebhookBaseUrl}${TOKEN}\n`);
  });

  it('says how to fix a stack name that does not exist', async () => {
    const cli = io();
    await expect(runCli(['webhook-url', '--stack', 'Other'], cli)).resolves.toBe(1);
    expect(cli.stderr()).toBe(
      'paubox-relay webhook-url: stack Other does not exist in this account and region; deploy it, or pass --stack <name>\n',
    );
  });

  it('says how to give credentials or a region when the SDK has none', async () => {
    cfn.on(DescribeStacksCommand).rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const noCredentials = io();
    await expect(runCli(['webhook-url'], noCredentials)).resolves.toBe(1);
    expect(noCredentials.stderr()).toContain('no AWS credentials found: set AWS_PROFILE');
    cfn.on(DescribeStacksCommand).rejects(new Error('Region is missing'));
    const noRegion = io();
    await expect(runCli(['webhook-url'], noRegion)).resolves.toBe(1);
    expect(noRegion.stderr()).toContain('no AWS region: set AWS_REGION');
  });
});

describe('set-destination', () => {
  it("checks the URL, stores it in the destination's secret and never prints it", async () => {
    secrets.on(PutSecretValueCommand).resolves({});
    const cli = io();
    await expect(runCli(['set-destination', 'ops', SLACK_URL], cli)).resolves.toBe(0);
    expect(secrets.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: OUTPUTS.OpsDestinationSecretName, SecretString: SLACK_URL },
    ]);
    expect(cli.stdout()).toContain(`Stored the Slack webhook URL of "ops" in secret ${OUTPUTS.OpsDestinationSecretName}`);
    expect(cli.stdout()).toContain('npx paubox-relay test-destination ops');
    expect(cli.stdout() + cli.stderr()).not.toContain('SECRETPART');
  });

  it('reads the URL from standard input with "-", keeping it out of the shell history', async () => {
    secrets.on(PutSecretValueCommand).resolves({});
    const teams = 'https://prod-01.westeurope.logic.azure.com:443/workflows/w1/triggers/manual/paths/invoke?sig=SECRETSIG';
    const cli = io(`${teams}\n`);
    await expect(runCli(['set-destination', 'care-team', '-'], cli)).resolves.toBe(0);
    expect(secrets.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: OUTPUTS.CareTeamDestinationSecretName,
      SecretString: teams,
    });
    expect(cli.stdout()).toContain('Stored the Teams Workflows webhook URL of "care-team"');
  });

  it.each([
    ['a Teams URL for a destination configured as Slack', 'https://prod-01.westeurope.logic.azure.com/workflows/w/SECRETPART', /is a teams URL but the destination's kind is slack/],
    ['a retired Office 365 connector', 'https://contoso.webhook.office.com/webhookb2/SECRETPART', /retired Office 365 connector.*Workflows/],
    ['another host', 'https://attacker.example.net/services/SECRETPART', /attacker\.example\.net, which is neither Slack/],
    ['plain http', 'http://hooks.slack.com/services/SECRETPART', /must use https/],
  ])('refuses %s, stores nothing and does not echo the URL', async (_what, url, message) => {
    const cli = io();
    await expect(runCli(['set-destination', 'ops', url], cli)).resolves.toBe(1);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).toContain('nothing was stored');
    expect(cli.stderr()).not.toContain('SECRETPART');
  });

  it('names the deployed destinations when given another', async () => {
    const cli = io();
    await expect(runCli(['set-destination', 'pager', SLACK_URL], cli)).resolves.toBe(1);
    expect(cli.stderr()).toContain('stack PauboxAlertRelay has no destination "pager"');
    expect(cli.stderr()).toContain('deployed destinations: Ops, CareTeam');
  });
});

describe('test-destination', () => {
  const sentEvent = () => decodeQueuedEvent(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!)!;

  it("queues a labelled test event on the destination's queue and reports it posted", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, state: { S: 'posted' } } });
    const cli = io();
    await expect(runCli(['test-destination', 'ops'], cli)).resolves.toBe(0);
    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ops');
    const event = sentEvent();
    expect(event).toMatchObject({ test: true, type: 'delivered', senderDomain: 'paubox-relay.invalid' });
    expect(input.MessageAttributes).toEqual({
      event_type: { DataType: 'String', StringValue: 'delivered' },
      sender_domain: { DataType: 'String', StringValue: 'paubox-relay.invalid' },
    });
    // It watches the claim the notifier makes for this destination and event.
    expect(dynamo.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: OUTPUTS.DedupTableName,
      Key: { pk: { S: `ops#${event.key}` } },
      ConsistentRead: true,
    });
    expect(cli.stdout()).toMatch(/^Test alert posted to "ops" in \d+\.\d s/);
  });

  it('renders as a "Test alert" on Slack and Teams, not as a failed message', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await runCli(['test-destination', 'ops', '--wait', '0'], io());
    const view = toAlertView(sentEvent(), { destination: 'ops', detail: 'full', fingerprintKey: 'k' });
    const slack = renderSlack(view);
    expect(slack.text).toContain('Test alert');
    expect(JSON.stringify(slack)).not.toContain('Message failed to send');
    expect(JSON.stringify(renderTeams(view))).toContain('Test alert');
  });

  it('exits 1 and points at dead-letters when the notifier dead-lettered it', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, state: { S: 'dead' } } });
    const cli = io();
    await expect(runCli(['test-destination', 'ops'], cli)).resolves.toBe(1);
    expect(cli.stderr()).toContain('npx paubox-relay dead-letters ops');
  });

  it('polls until the wait is over, then reports no verdict', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, state: { S: 'sending' } } });
    let clock = 0;
    const result = await sendTestAlert(
      'ops',
      'PauboxAlertRelay',
      { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}), dynamodb: new DynamoDBClient({}) },
      { waitMs: 10_000, pollMs: 2_000, now: () => clock, sleep: async (ms) => void (clock += ms) },
    );
    expect(result).toMatchObject({ outcome: 'timed_out', elapsedMs: 10_000 });
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(6);
  });

  it('refuses a bad --wait', async () => {
    const cli = io();
    await expect(runCli(['test-destination', 'ops', '--wait', 'soon'], cli)).resolves.toBe(2);
    expect(cli.stderr()).toContain('--wait must be a whole number from 0 to 900, got "soon"');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});

describe('dead-letters', () => {
  const message = (id: string, attributes: Record<string, string>) => ({
    MessageId: id,
    Body: '{"recipients":["jordan.lee@patients.example.org"],"subject":"Your appointment"}',
    Attributes: { SentTimestamp: '1767322800000' },
    MessageAttributes: Object.fromEntries(Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }])),
  });

  it('counts the DLQ and reads reasons from message attributes, without deleting or showing bodies', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '0' } });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          message('a', { reason: 'no_service', event_type: 'permanent_failure', event_key: 'k1', failed_at: '2026-01-02T03:04:05.000Z', status: '404' }),
          message('b', { reason: 'no_service', event_type: 'temporary_failure', event_key: 'k2', failed_at: '2026-01-02T03:05:00.000Z' }),
        ],
      })
      // The same message again (receives are samples), then one SQS moved itself: no reason attribute.
      .resolvesOnce({ Messages: [message('a', { reason: 'no_service' }), message('c', { event_type: 'opened' })] });
    const cli = io();
    await expect(runCli(['dead-letters', 'ops'], cli)).resolves.toBe(0);
    const out = cli.stdout();
    expect(out).toContain('ops: about 3 dead letter(s); reasons of the 3 read:');
    expect(out).toContain('  no_service: 2');
    expect(out).toContain('  max_receives_exceeded: 1');
    expect(out).toContain('2026-01-02T03:04:05.000Z permanent_failure key k1 (no_service, HTTP 404)');
    expect(out).toContain('npx paubox-relay redrive ops');
    for (const phi of ['jordan.lee', 'Your appointment']) expect(out).not.toContain(phi);
    for (const call of sqs.commandCalls(ReceiveMessageCommand)) {
      expect(call.args[0].input).toMatchObject({
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ops-dlq',
        VisibilityTimeout: 0,
      });
    }
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('says so when there are none, without receiving anything', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } });
    const cli = io();
    await expect(runCli(['dead-letters', 'ops'], cli)).resolves.toBe(0);
    expect(cli.stdout()).toBe('no dead letters for ops\n');
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it('needs a destination name unless --local', async () => {
    const cli = io();
    await expect(runCli(['dead-letters'], cli)).resolves.toBe(2);
    expect(cli.stderr()).toContain('name the destination (or use --local)');
  });
});

describe('redrive', () => {
  it("starts moving the destination's DLQ back to its queue", async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-9' });
    const cli = io();
    await expect(runCli(['redrive', 'ops'], cli)).resolves.toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({ SourceArn: DLQ, DestinationArn: QUEUE });
    expect(cli.stdout()).toBe('moving about 2 dead letter(s) of ops back to its queue (task task-9)\n');
  });
});
