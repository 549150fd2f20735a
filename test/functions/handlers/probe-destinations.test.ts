import { CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';

/* The deployed probe's handler, on the AWS SDK: secrets read, verdicts as metrics, notices on the queues. */

const secrets = mockClient(SecretsManagerClient);
const sqs = mockClient(SQSClient);
const cloudWatch = mockClient(CloudWatchClient);
const TOPIC = 'arn:aws:sns:eu-west-1:111122223333:relay-health';
const queueUrl = (name: string) => `https://sqs.eu-west-1.amazonaws.com/111122223333/relay-${name}`;
const PROBED = {
  ops: { secretArn: 'secret-ops', queueUrl: queueUrl('ops') },
  oncall: { secretArn: 'secret-oncall', queueUrl: queueUrl('oncall'), kind: 'teams' },
};
let stdout: string[];

function load(env: Record<string, string> = {}): (event: unknown) => Promise<void> {
  Object.assign(process.env, {
    PROBE_DESTINATIONS: JSON.stringify(PROBED),
    ALARM_NAME_PREFIX: 'RelayStack-Relay',
    HEALTH_TOPIC_ARN: TOPIC,
    REMINDER_HOURS: '4',
    PROBE_MINUTES: '60',
    HEALTH_HEARTBEAT: 'true',
    RELAY_ID: 'TestStack/Relay',
    ...env,
  });
  // The handler reads its environment on each run.
  return (require('../../../functions/handlers/probe-destinations') as { handler: (e: unknown) => Promise<void> })
    .handler;
}

beforeEach(() => {
  for (const mock of [secrets, sqs, cloudWatch]) mock.reset();
  stdout = [];
  // Metrics and info lines go to stdout, errors to stderr: both are kept.
  for (const stream of [process.stdout, process.stderr]) {
    jest.spyOn(stream, 'write').mockImplementation((chunk) => {
      stdout.push(String(chunk));
      return true;
    });
  }
  // Before set-destination: the secret holds no URL, which the notifier would dead-letter on.
  secrets.on(GetSecretValueCommand, { SecretId: 'secret-ops' }).resolves({ SecretString: 'REPLACE_ME' });
  secrets.on(GetSecretValueCommand, { SecretId: 'secret-oncall' }).resolves({
    SecretString: 'https://prod-01.westeurope.logic.azure.com/workflows/abc/triggers/manual/paths/invoke',
  });
  sqs.on(SendMessageCommand).resolves({ MessageId: 'm' });
});
afterEach(() => jest.restoreAllMocks());

const emf = () =>
  stdout
    .map((line) => {
      try {
        return JSON.parse(line) as Record<string, unknown>;
      } catch {
        return undefined;
      }
    })
    .filter((j): j is Record<string, unknown> => j !== undefined && '_aws' in j);

describe('the probe handler', () => {
  it('emits DestinationProbeBroken per destination, queues the Teams heartbeat, and logs no URL', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    await load()({});
    const points = emf().filter((m) => 'DestinationProbeBroken' in m);
    expect(points.map((m) => [m.Destination, m.DestinationProbeBroken, m.service])).toEqual([['ops', 1, 'probe']]);
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    expect(sent.map((s) => s.QueueUrl)).toEqual([queueUrl('oncall')]);
    expect(JSON.parse(sent[0]!.MessageBody!)).toMatchObject({ health: true, state: 'heartbeat', subject: 'oncall' });
    const describe = cloudWatch.commandCalls(DescribeAlarmsCommand)[0]!.args[0].input;
    expect(describe).toMatchObject({ AlarmNamePrefix: 'RelayStack-Relay', StateValue: 'ALARM' });
    expect(stdout.join('')).not.toContain('logic.azure.com');
    expect(stdout.join('')).toContain('no_valid_url_in_secret');
  });

  it("queues a reminder for the relay's own alarms that stay in ALARM, page after page", async () => {
    const since = new Date(Date.now() - 4 * 3_600_000 - 10 * 60_000);
    const alarm = {
      StateUpdatedTimestamp: since,
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: 'relay-ingest' }],
    };
    cloudWatch
      .on(DescribeAlarmsCommand, { NextToken: undefined })
      .resolves({
        MetricAlarms: [{ ...alarm, AlarmName: 'RelayStack-RelayOther', AlarmActions: ['arn:other'] }],
        NextToken: 'p2',
      })
      .on(DescribeAlarmsCommand, { NextToken: 'p2' })
      .resolves({ MetricAlarms: [{ ...alarm, AlarmName: 'RelayStack-RelayIngestErrors', AlarmActions: [TOPIC] }] });
    await load({ HEALTH_HEARTBEAT: 'false' })({});
    const sent = sqs.commandCalls(SendMessageCommand).map((c) => c.args[0].input);
    // Only the alarm that acts on the relay's health topic; to every destination (none is affected).
    expect(sent.map((s) => s.QueueUrl).sort()).toEqual([queueUrl('oncall'), queueUrl('ops')]);
    expect(JSON.parse(sent[0]!.MessageBody!)).toMatchObject({ state: 'reminder', part: 'ingest' });
  });

  it('fails the run when a notice cannot be queued, so the schedule retries it', async () => {
    cloudWatch.on(DescribeAlarmsCommand).resolves({ MetricAlarms: [] });
    sqs.on(SendMessageCommand).rejects(new Error('KMS.AccessDeniedException'));
    await expect(load()({})).rejects.toThrow('KMS.AccessDeniedException');
  });
});
