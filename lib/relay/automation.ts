import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as events from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Subscription } from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { DetailLevel } from '../../functions/config';
import { deadLettersAlarm } from './alarm-factory';
import type { EventTopic } from './event-topic';
import { QUEUE_CONCURRENCY_BOUND, type RelayFunctionFactory } from './function-factory';
import { queueWithDeadLetters } from './queue-factory';
import { PUBLISH_EVENTS_ENV } from '../../functions/aws';
import { environmentOf } from './function-env';

export { AUTOMATION_SOURCE } from '../../functions/archive';

/** Properties of {@link RelayAutomation}. */
export interface RelayAutomationProps {
  readonly events: EventTopic;
  readonly key: kms.IKey;
  readonly fingerprintSecret: secretsmanager.ISecret;
  /** The level of each event's `detail`: the archive's. */
  readonly detail: DetailLevel;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
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
  /** The topic's subscription that feeds the queue every event. */
  public readonly subscription: Subscription;
  public readonly function: NodejsFunction;
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RelayAutomationProps) {
    super(scope, id);
    this.bus = new events.EventBus(this, 'Bus', {
      description: 'Paubox alert relay events (source paubox.alert-relay), at the archive detail level',
    });
    ({ queue: this.queue, deadLetterQueue: this.deadLetterQueue } = queueWithDeadLetters(this, '', {
      key: props.key,
      retentionPeriod: Duration.days(4),
      visibilityTimeout: Duration.seconds(PUBLISH_TIMEOUT.toSeconds() * 6),
      maxReceiveCount: 5,
    }));
    this.subscription = props.events.subscribeAll(new SqsSubscription(this.queue, { rawMessageDelivery: true }));

    this.function = props.functions.create(this, 'Function', {
      entry: 'publishEvents',
      description: 'Puts relayed Paubox events on the relay EventBridge bus for automation rules',
      roleDescription: 'Automation publisher of the Paubox alert relay',
      logName: 'automation',
      memorySize: props.memorySize,
      timeout: PUBLISH_TIMEOUT,
      environment: environmentOf(this, PUBLISH_EVENTS_ENV, {
        busName: this.bus.eventBusName,
        detail: props.detail,
        fingerprintSecretArn: props.fingerprintSecret.secretArn,
      }),
      invocation: 'queue',
      concurrencyBound: QUEUE_CONCURRENCY_BOUND,
    }).fn;
    this.bus.grantPutEventsTo(this.function);
    props.fingerprintSecret.grantRead(this.function);
    this.function.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );

    this.alarms = [
      deadLettersAlarm(
        this,
        'DeadLettersAlarm',
        this.deadLetterQueue,
        'Events the automation publisher could not put on the relay bus are in its dead-letter queue: see its ' +
          `log group, then \`aws sqs start-message-move-task --source-arn ${this.deadLetterQueue.queueArn}\`.`,
      ),
    ];
  }
}
