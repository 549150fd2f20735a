import { CloudWatchClient, DescribeAlarmsCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context } from 'aws-lambda';
import { readSecretString } from '../aws';
import { readEnv } from '../aws';
import { PROBE_ENV, RELAY_ENV } from '../aws';
import { runScheduledProbe } from '../health';
import { DESTINATION_DIMENSION, DESTINATION_PROBE_METRIC, PROBE_SERVICE } from '../observability';
import { powertoolsLogger } from '../observability';
import { dynamodbSdk } from '../aws';
import { announceEndedSilences, dynamoSilenceStore } from '../sending';
import { relayMetrics } from '../observability';

/**
 * Run on a schedule every `health.probeMinutes`: probes each chat destination silently, posts the opt-in
 * heartbeat to Teams destinations and reminds of alarms that stay in ALARM (functions/health/scheduled-probe.ts).
 */
const secrets = new SecretsManagerClient({});
const sqs = new SQSClient({});
const cloudWatch = new CloudWatchClient({});
const powertools = new PowertoolsLogger({ serviceName: PROBE_SERVICE });
const logger = powertoolsLogger(powertools);
const metrics = relayMetrics(PROBE_SERVICE, readEnv(RELAY_ENV).relayId);

/** The relay's alarms in ALARM: those of its name prefix that act on its health topic. */
async function alarmsInAlarm(alarmPrefix: string, healthTopicArn: string): Promise<MetricAlarm[]> {
  const found: MetricAlarm[] = [];
  let NextToken: string | undefined;
  do {
    const page = await cloudWatch.send(
      new DescribeAlarmsCommand({
        AlarmNamePrefix: alarmPrefix,
        StateValue: 'ALARM',
        AlarmTypes: ['MetricAlarm'],
        NextToken,
      }),
    );
    found.push(...(page.MetricAlarms ?? []).filter((a) => a.AlarmActions?.includes(healthTopicArn)));
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

export const handler = async (_event: unknown, context?: Context): Promise<void> => {
  if (context) powertools.addContext(context);
  // Read per run (once an hour by default): cheap, and what a test sets is what the next run sees.
  const env = readEnv(PROBE_ENV);
  const { destinations: targets, alarmPrefix, healthTopicArn, to, silenceTable } = env;
  await runScheduledProbe({
    destinations: Object.entries(targets).map(([name, t]) => ({
      name,
      ...(t.kind ? { kind: t.kind } : {}),
      ...(t.channel !== undefined ? { channel: t.channel } : {}),
      readUrl: () => readSecretString(secrets, t.secretArn),
    })),
    heartbeat: env.heartbeat,
    allowLoopbackHttp: false,
    reminderMs: env.reminderHours * 3_600_000,
    intervalMs: env.probeMinutes * 60_000,
    ...(to ? { to } : {}),
    alarmsInAlarm: () => alarmsInAlarm(alarmPrefix, healthTopicArn),
    queue: async (name, notice) => {
      const QueueUrl = targets[name]!.queueUrl;
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: JSON.stringify(notice) }));
    },
    metric: (name, broken) => {
      // One data point per destination, each with its own dimension.
      const single = metrics.singleMetric();
      single.addDimension(DESTINATION_DIMENSION, name);
      single.addMetric(DESTINATION_PROBE_METRIC, 'Count', broken);
    },
    logger,
    now: new Date(),
  });
  // Ended silences: each destination where one hid something is told what, once.
  if (silenceTable) {
    const store = dynamoSilenceStore(new (dynamodbSdk().DynamoDBClient)({}), silenceTable);
    await announceEndedSilences(
      store,
      Date.now(),
      Object.keys(targets),
      async (name, notice) => {
        await sqs.send(
          new SendMessageCommand({ QueueUrl: targets[name]!.queueUrl, MessageBody: JSON.stringify(notice) }),
        );
      },
      logger,
    );
  }
};
