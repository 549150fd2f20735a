import { Aws, Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import type { HealthConfig } from '../../functions/config';
import { DESTINATION_DIMENSION, DESTINATION_PROBE_METRIC, PROBE_SERVICE } from '../../functions/observability';
import { acknowledgeProbeRole } from '../nag-acknowledgments';
import type { RelayDestination } from './chat-destination';
import type { RelayEncryption } from './encryption';
import type { RelayFunctionFactory } from './function-factory';
import { countAlarm } from './alarm-factory';
import { relayMetric } from './metrics';
import { grantSend } from './queue-factory';
import { PROBE_ENV, type ProbeTarget } from '../../functions/aws';
import { addEnvironment } from './function-env';

export interface RelayProbeProps {
  readonly encryption: RelayEncryption;
  readonly functions: RelayFunctionFactory;
  readonly destinations: Readonly<Record<string, RelayDestination>>;
  readonly health: HealthConfig;
  readonly healthTopic: sns.ITopic;
  readonly memorySize: number;
}

/**
 * The start of the generated names of the relay's alarms: CloudFormation names an alarm
 * `<stack>-<logical id>-<suffix>`, and the logical ids of the relay's resources begin with its path in the stack.
 */
export function relayAlarmNamePrefix(scope: Construct): string {
  const stack = Stack.of(scope);
  const path = scope.node.scopes.slice(scope.node.scopes.indexOf(stack) + 1).map((c) => c.node.id);
  const human = path
    .filter((id) => id !== 'Default' && id !== 'Resource')
    .join('')
    .replace(/[^A-Za-z0-9]/g, '');
  return `${Aws.STACK_NAME}-${human}`;
}

/**
 * The scheduled probe (`ProbeFunction`, `ProbeSchedule`, one `ProbeAlarm-<name>` per destination and
 * `ProbeErrorsAlarm`): every
 * `health.probeMinutes` it probes each destination silently and says broken (1) or ok (0) per destination; the
 * alarm on that acts on the health topic, so a revoked webhook is told before a real bounce is lost to it. The
 * same run posts the opt-in Teams heartbeat and reminds of alarms that stay in ALARM.
 */
export class RelayProbe {
  public readonly fn: NodejsFunction;
  public readonly rule: events.Rule;
  public readonly alarms: readonly cloudwatch.Alarm[];
  public readonly metrics: readonly cloudwatch.Metric[];

  constructor(scope: Construct, props: RelayProbeProps) {
    const { health } = props;
    const prefix = relayAlarmNamePrefix(scope);
    const created = props.functions.create(scope, 'ProbeFunction', {
      entry: 'probe',
      description: 'Probes the Paubox alert relay destinations silently and reminds of alarms that stay in ALARM',
      roleDescription: 'Destination probe function of the Paubox alert relay',
      logName: 'probe',
      memorySize: props.memorySize,
      timeout: Duration.seconds(60),
      invocation: 'schedule',
      concurrencyBound: `Runs once every ${health.probeMinutes} minutes on a schedule: at most one run at a time.`,
    });
    this.fn = created.fn;
    const probed: Record<string, ProbeTarget> = {};
    for (const [name, destination] of Object.entries(props.destinations)) {
      const kind = destination.config.kind;
      probed[name] = {
        secretArn: destination.secret.secretArn,
        queueUrl: destination.queue.queueUrl,
        ...(kind && kind !== 'console' ? { kind } : {}),
        ...(destination.config.channel !== undefined ? { channel: destination.config.channel } : {}),
      };
      // GetSecretValue on this secret, and kms:Decrypt through Secrets Manager only.
      destination.secret.grantRead(this.fn);
      grantSend(destination.queue, this.fn, props.encryption.key);
    }
    // On every alarm: no page says CloudWatch authorises a DescribeAlarms filtered by name prefix or state against
    // the names it returns, and its API reference asks for `*` to see composite alarms. A read of alarm
    // definitions; the probe keeps only the relay's own (its name prefix, acting on its health topic).
    this.fn.addToRolePolicy(new iam.PolicyStatement({ actions: ['cloudwatch:DescribeAlarms'], resources: ['*'] }));
    acknowledgeProbeRole(created.role);
    addEnvironment(this.fn, PROBE_ENV, {
      destinations: probed,
      alarmPrefix: prefix,
      healthTopicArn: props.healthTopic.topicArn,
      probeMinutes: health.probeMinutes,
      reminderHours: health.reminderHours,
      heartbeat: health.heartbeat,
      to: health.to,
    });
    this.rule = new events.Rule(scope, 'ProbeSchedule', {
      description: `Runs the destination probe every ${health.probeMinutes} minutes`,
      schedule: events.Schedule.rate(Duration.minutes(health.probeMinutes)),
      targets: [new targets.LambdaFunction(this.fn, { retryAttempts: 2, maxEventAge: Duration.minutes(30) })],
    });
    const period = Duration.minutes(health.probeMinutes);
    // Without a label: an alarm on a labelled metric is a metric-math alarm, whose change-of-state message and
    // DescribeAlarms answer carry no MetricName and Dimensions, which the health notices read.
    const verdict = (name: string) =>
      relayMetric(scope, DESTINATION_PROBE_METRIC, PROBE_SERVICE, { [DESTINATION_DIMENSION]: name }, 'Maximum').with({
        period,
      });
    this.metrics = Object.keys(props.destinations).map((name) => verdict(name).with({ label: name }));
    const errors = countAlarm(
      scope,
      'ProbeErrorsAlarm',
      this.fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
      'The destination probe failed (see its log group): a heartbeat or reminder may not have been queued. ' +
        'Run npx paubox-relay check-destinations by hand.',
    );
    const probes = Object.entries(props.destinations).map(
      ([name]) =>
        new cloudwatch.Alarm(scope, `ProbeAlarm-${name}`, {
          alarmDescription:
            `The scheduled probe found destination ${name} revoked, archived or without a valid URL: alerts to it ` +
            `will be dead-lettered. Fix: npx paubox-relay set-destination ${name} <url>, then ` +
            `npx paubox-relay redrive ${name}; npx paubox-relay check-destinations shows every destination.`,
          metric: verdict(name),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          // One data point per run: between runs, and when the probe cannot tell, the last verdict stands.
          treatMissingData: cloudwatch.TreatMissingData.IGNORE,
        }),
    );
    this.alarms = [...probes, errors];
  }
}
