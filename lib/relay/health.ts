import { Aws, Duration, Names } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as sns from 'aws-cdk-lib/aws-sns';
import { LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';
import type { HealthConfig } from '../../functions/config';
import type { RelayDestination } from './chat-destination';
import type { RelayEncryption } from './encryption';
import type { RelayFunctionFactory } from './function-factory';
import { grantSend } from './queue-factory';
import { HEALTH_ENV } from '../../functions/aws';
import { addEnvironment } from './function-env';

/** Lets CloudWatch alarms of this account, and only those, publish to `topic` (a topic policy replaces the default). */
export function allowAlarmsToPublish(topic: sns.Topic): void {
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'AllowCloudWatchAlarmsToPublish',
      principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
        ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
      },
    }),
  );
}

export interface RelayHealthProps {
  readonly encryption: RelayEncryption;
  readonly functions: RelayFunctionFactory;
  readonly destinations: Readonly<Record<string, RelayDestination>>;
  readonly health: HealthConfig;
  readonly memorySize: number;
}

/**
 * Relay health in chat, with nothing set up: every alarm acts on a relay-owned, encrypted health topic, and the
 * health function turns each change of state into a notice on the destinations' own queues (so the notifiers post
 * it with their pacing, retries and de-duplication). Created in the relay's scope (`HealthTopic`, `HealthFunction`).
 */
export class RelayHealth {
  public readonly topic: sns.Topic;
  /** Undefined when the relay has no chat destination to tell. */
  public readonly healthFunction?: NodejsFunction;
  /** What every alarm does first. */
  public readonly action: cloudwatch.IAlarmAction;

  constructor(scope: Construct, props: RelayHealthProps) {
    props.encryption.allowAlarmNotifications();
    this.topic = new sns.Topic(scope, 'HealthTopic', {
      // Named apart per relay, as the event topic is.
      topicName: `${Names.uniqueResourceName(scope, { maxLength: 240, separator: '-' })}-health`,
      displayName: 'Paubox alert relay health',
      masterKey: props.encryption.key,
      enforceSSL: true,
    });
    allowAlarmsToPublish(this.topic);
    this.action = new SnsAction(this.topic);
    if (Object.keys(props.destinations).length === 0) return;
    const fn = props.functions.create(scope, 'HealthFunction', {
      entry: 'health',
      description: 'Turns the Paubox alert relay alarms into relay health notices on the destination queues',
      roleDescription: 'Health notice function of the Paubox alert relay',
      logName: 'health',
      memorySize: props.memorySize,
      timeout: Duration.seconds(30),
      invocation: 'alarm',
      concurrencyBound:
        'Invoked only on alarm changes of state, a handful per incident; a reservation would take from the ' +
        "account's quota, which a fresh account (10) cannot spare.",
    }).fn;
    this.healthFunction = fn;
    const queues: Record<string, string> = {};
    for (const [name, destination] of Object.entries(props.destinations)) {
      queues[name] = destination.queue.queueUrl;
      grantSend(destination.queue, fn, props.encryption.key);
    }
    addEnvironment(fn, HEALTH_ENV, { queues, to: props.health.to });
    this.topic.addSubscription(new LambdaSubscription(fn));
  }
}
