import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { deadLettersAlarm, relayAlarm } from './alarm-factory';
import type { EventTopic } from './event-topic';
import { QUEUE_CONCURRENCY_BOUND, type RelayFunctionFactory } from './function-factory';
import { queueWithDeadLetters, SQS_MAX_RETENTION } from './queue-factory';

const DRAIN_TIMEOUT = Duration.seconds(30);
const FALLBACK_MAX_RECEIVE_COUNT = 10;
/** An event older than this in the fallback queue means publishing to the topic keeps failing. */
const FALLBACK_STUCK_AGE = Duration.minutes(5);

/** The alarms watching the ingest fallback path. Actions as for {@link DestinationAlarms}. */
export interface FallbackAlarms {
  /** Fires when an event has waited in the fallback queue for 5 minutes: publishing to the topic still fails. */
  readonly stuck: cloudwatch.Alarm;
  /** Fires on the first event the drainer gave up republishing. */
  readonly deadLetters: cloudwatch.Alarm;
}

export interface FallbackPathProps {
  readonly key: kms.IKey;
  readonly events: EventTopic;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
}

/**
 * Where ingest keeps an event it could not publish, and the function that republishes it: Paubox never retries,
 * so such an event exists nowhere else. Created in the relay's own scope (`FallbackQueue`, `DrainFunction`, …).
 */
export class FallbackPath {
  /** Holds the events ingest could not publish to the topic, until the drain function republishes them. */
  public readonly queue: sqs.Queue;
  /** Holds the events the drain function failed to republish ten times. */
  public readonly deadLetterQueue: sqs.Queue;
  /** Republishes the events in the fallback queue to the topic. */
  public readonly drainFunction: NodejsFunction;
  public readonly alarms: FallbackAlarms;

  constructor(scope: Construct, props: FallbackPathProps) {
    const queues = queueWithDeadLetters(scope, 'Fallback', {
      key: props.key,
      // The SQS maximum: an event in the fallback queue exists nowhere else.
      retentionPeriod: SQS_MAX_RETENTION,
      visibilityTimeout: Duration.seconds(DRAIN_TIMEOUT.toSeconds() * 6),
      maxReceiveCount: FALLBACK_MAX_RECEIVE_COUNT,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;
    this.drainFunction = props.functions.create(scope, 'DrainFunction', {
      entry: 'drainer',
      description: 'Republishes to the relay topic the Paubox events that ingest kept in the fallback queue',
      roleDescription: 'Fallback drain function of the Paubox alert relay',
      logName: 'drain-fallback',
      memorySize: props.memorySize,
      timeout: DRAIN_TIMEOUT,
      invocation: 'queue',
      concurrencyBound: QUEUE_CONCURRENCY_BOUND,
    }).fn;
    props.events.grantPublish(this.drainFunction);
    this.drainFunction.addEnvironment('TOPIC_ARN', props.events.topic.topicArn);
    this.drainFunction.addEventSource(
      new SqsEventSource(this.queue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );
    this.alarms = this.createAlarms(scope);
  }

  private createAlarms(scope: Construct): FallbackAlarms {
    return {
      stuck: relayAlarm(scope, 'FallbackStuckAlarm', {
        description:
          `Paubox events have waited over ${FALLBACK_STUCK_AGE.toHumanString()} in the fallback queue: ingest ` +
          "cannot publish to the relay topic and the drain function cannot either. Check the drain function's " +
          'logs and the topic and its KMS key; the events are delivered once publishing works again.',
        metric: this.queue.metricApproximateAgeOfOldestMessage({
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(1),
        }),
        threshold: FALLBACK_STUCK_AGE.toSeconds(),
      }),
      deadLetters: deadLettersAlarm(
        scope,
        'FallbackDeadLettersAlarm',
        this.deadLetterQueue,
        `Paubox events the drain function failed to republish ${FALLBACK_MAX_RECEIVE_COUNT} times are in the ` +
          "fallback dead-letter queue: fix the cause (see the drain function's logs), then move them back with " +
          `\`aws sqs start-message-move-task --source-arn ${this.deadLetterQueue.queueArn}\`.`,
      ),
    };
  }
}
