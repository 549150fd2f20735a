import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { parseSince } from '../../../functions/cli/report';
import { runCli, type CliIo } from '../../../functions/cli/run-cli';
import { decodeQueuedReport } from '../../../functions/reports';

const cfn = mockClient(CloudFormationClient);
const athena = mockClient(AthenaClient);
const sqs = mockClient(SQSClient);
const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:relay-ops';

function io(): CliIo & { stdout: () => string; stderr: () => string } {
  let out = '';
  let err = '';
  return {
    out: (t) => (out += t),
    err: (t) => (err += t),
    env: { AWS_REGION: 'eu-west-1' },
    cwd: process.cwd(),
    readStdin: async () => '',
    stopSignal: () => new Promise(() => undefined),
    stdout: () => out,
    stderr: () => err,
  };
}

const summaryRow = ['current', '5', '4', '3', '2', '7', '0.5', '0.2', '0.3'];
const SUMMARY_COLUMNS = [
  'period',
  'delivered',
  'opened',
  'temporary_failure',
  'permanent_failure',
  'unique_recipients',
  'bounce_rate',
  'hard_bounce_rate',
  'soft_bounce_rate',
];

beforeEach(() => {
  for (const mock of [cfn, athena, sqs]) mock.reset();
  const outputs = {
    ArchiveWorkgroupName: 'relay-reports',
    ArchiveDatabaseName: 'paubox_relay_db',
    OpsQueueArn: QUEUE,
    OpsDeadLetterQueueArn: `${QUEUE}-dlq`,
    OpsDestinationSecretName: 's',
    OpsDestinationKind: 'slack',
  };
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'PauboxAlertRelay',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
      },
    ],
  });
  let n = 0;
  athena.on(StartQueryExecutionCommand).callsFake(async () => ({ QueryExecutionId: `q-${++n}` }));
  athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
  athena.on(GetQueryResultsCommand).callsFake(async (input: { QueryExecutionId: string }) => {
    // The summary query is started first; the others answer no rows.
    const rows = input.QueryExecutionId === 'q-1' ? [SUMMARY_COLUMNS, summaryRow] : [['period']];
    return {
      ResultSet: {
        ResultSetMetadata: { ColumnInfo: rows[0]!.map((Name) => ({ Name, Type: 'varchar' })) },
        Rows: rows.map((r) => ({ Data: r.map((VarCharValue) => ({ VarCharValue })) })),
      },
    };
  });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
});

describe('report (deployed)', () => {
  it("runs the queries in the stack's workgroup and prints the summary as JSON", async () => {
    const out = io();
    expect(await runCli(['report', '--json', '--since', '24h'], out)).toBe(0);
    const summary = JSON.parse(out.stdout()) as Record<string, unknown>;
    expect(summary).toMatchObject({
      delivered: 5,
      opened: 4,
      temporary_failure: 3,
      permanent_failure: 2,
      bounceRate: 0.5,
      topFailingRecipientDomains: [],
    });
    const starts = athena.commandCalls(StartQueryExecutionCommand).map((c) => c.args[0].input);
    expect(starts).toHaveLength(3);
    for (const start of starts) {
      expect(start).toMatchObject({
        WorkGroup: 'relay-reports',
        QueryExecutionContext: { Database: 'paubox_relay_db' },
      });
    }
    expect(Date.parse(String(summary.until)) - Date.parse(String(summary.since))).toBe(86_400_000);
  });

  it("--post queues the card on the destination's queue, for its notifier to post", async () => {
    const out = io();
    expect(await runCli(['report', '--post', 'ops'], out)).toBe(0);
    expect(out.stdout()).toContain('Permanent failures: 2 (previous 0)');
    const sent = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(sent.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ops');
    expect(decodeQueuedReport(sent.MessageBody!)?.summary.permanent_failure).toBe(2);
  });

  it('refuses a period it cannot read', async () => {
    const out = io();
    expect(await runCli(['report', '--since', 'last week'], out)).toBe(2);
    expect(out.stderr()).toContain('--since expects a period such as 24h, 7d or 2w');
    expect(parseSince('2w')).toBe(14 * 86_400_000);
    expect(() => parseSince('400d')).toThrow(/at most 366 days/);
  });
});
