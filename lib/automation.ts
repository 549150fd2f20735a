import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Subscription } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { DetailLevel } from '../functions/config/destination-kinds';
import { acknowledgeFunction } from './nag-acknowledgments';
import type { RecordFunctionFactory } from './record-functions';

export { AUTOMATION_SOURCE } from '../functions/archive/automation-event';

/** Properties of {@link RelayAutomation}. */
export interface RelayAutomationProps {
  /** The relay topic, subscribed by ARN (as the destination queues are, to keep the key policy free of cycles). */
  readonly topic: sns.ITopic;
  readonly key: kms.IKey;
  readonly fingerprintSecret: secretsmanager.ISecret;
  /** The detail of each event's `detail`: the archive's level. */
  readonly detail: DetailLevel;
  readonly newFunction: RecordFunctionFactory;
  readonly deadLetterRetention: Duration;
}

const PUBLISH_TIMEOUT = Duration.seconds(30);

/**
 * Events for automation: every relayed event is put on a relay-owned EventBridge bus (source `paubox.alert-relay`,
 * detail type = event type, detail = the archive record), through a queue of its own, so a rule can start a
 * follow-up (a Step Functions workflow for a permanent failure, say).
 */
export class RelayAutomation extends Construct {
  public readonly bus: events.EventBus;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  /** The topic's subscription that feeds it every event. */
  public readonly subscription: Subscription;
  public readonly function: NodejsFunction;
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RelayAutomationProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Paubox alert relay events (source paubox.alert-relay), at the archive detail level',
    });
    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention,
    });
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: props.key,
      enforceSSL: true,
      visibilityTimeout: Duration.seconds(PUBLISH_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: 5 },
    });
    this.subscription = props.topic.addSubscription(new SqsSubscription(this.queue, { rawMessageDelivery: true }));

    this.function = props.newFunction(this, 'Function', {
      entry: 'publishEvents',
      description: 'Puts relayed Paubox events on the relay EventBridge bus for automation rules',
      logName: 'automation',
      timeout: PUBLISH_TIMEOUT,
      environment: {
        EVENT_BUS_NAME: this.bus.eventBusName,
        ARCHIVE_DETAIL: props.detail,
        FINGERPRINT_SECRET_ARN: props.fingerprintSecret.secretArn,
      },
    });
    acknowledgeFunction(this.function.node.defaultChild!, {
      invocation: 'queue',
      concurrencyBound: "Bounded by its SQS event source's maximum concurrency (2), which needs no reservation.",
    });
    this.bus.grantPutEventsTo(this.function);
    props.fingerprintSecret.grantRead(this.function);
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );

    this.alarms = [
      new cloudwatch.Alarm(this, 'DeadLettersAlarm', {
        alarmDescription:
          'Events the automation publisher could not put on the relay bus are in its dead-letter queue: see its ' +
          `log group, then \`aws sqs start-message-move-task --source-arn ${this.deadLetterQueue.queueArn}\`.`,
        metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(1),
        }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
    ];
  }
}
