import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { isChatKind, PLATFORM_LIST, PLATFORMS } from '../../functions/chat';
import type { DestinationConfig } from '../../functions/config';
import {
  DESTINATION_BROKEN_METRIC,
  DESTINATION_DIMENSION,
  END_TO_END_DELAY_METRIC,
  NOTIFIER_SERVICE,
} from '../../functions/observability';
import { countAlarm, deadLettersAlarm, relayAlarm } from './alarm-factory';
import type { EventTopic } from './event-topic';
import { QUEUE_CONCURRENCY_BOUND, type RelayFunctionFactory } from './function-factory';
import { ALARM_PERIOD, relayMetric } from './metrics';
import type { NotifierState } from './notifier-state';
import type { PlannedDestination } from './plan';
import { grantSend, queueWithDeadLetters } from './queue-factory';
import { relaySecret } from './secret-factory';
import { NOTIFIER_ENV } from '../../functions/aws';
import { addEnvironment, environmentOf } from './function-env';

export const NOTIFIER_TIMEOUT = Duration.seconds(30);

/**
 * The alarms watching one chat destination. Their actions are the configuration's `alarms.email` and
 * `alarms.topicArn`; without those they have none (add them with `addAlarmAction`).
 */
export interface DestinationAlarms {
  /** Fires on the first alert in the destination's dead-letter queue. */
  readonly deadLetters: cloudwatch.Alarm;
  /** Fires when the destination answers a non-retryable error (such as a revoked webhook URL). */
  readonly broken: cloudwatch.Alarm;
  /** Fires when the notifier function fails (an invocation error, not a refused post). */
  readonly errors: cloudwatch.Alarm;
  /** Fires when an alert reached the channel later than `alarms.endToEndDelaySeconds` after Paubox's event time. */
  readonly delay: cloudwatch.Alarm;
}

/** The resources that deliver alerts to one chat destination. */
export interface RelayDestination {
  /** The destination as configured. */
  readonly config: DestinationConfig;
  /** Receives the alerts routed to this destination from the topic. */
  readonly queue: sqs.Queue;
  /** Holds alerts the notifier failed to deliver `maxReceiveCount` times. */
  readonly deadLetterQueue: sqs.Queue;
  /** Posts the queued alerts to the chat webhook. */
  readonly function: NodejsFunction;
  /** Holds the destination's Slack or Teams webhook URL (a placeholder until replaced). */
  readonly secret: secretsmanager.Secret;
  /** The notifier's log group, encrypted with the relay key. */
  readonly logGroup: logs.LogGroup;
  /** The alarms watching this destination. */
  readonly alarms: DestinationAlarms;
}

export interface ChatDestinationProps {
  readonly planned: PlannedDestination;
  readonly key: kms.IKey;
  readonly events: EventTopic;
  readonly notifierState: NotifierState;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
  readonly messageRetention: Duration;
  readonly maxReceiveCount: number;
  readonly delayThreshold: Duration;
}

/** The product whose webhook URL the destination's secret holds, as its descriptions name it. */
function webhookPlatformOf(destination: DestinationConfig): string {
  const { kind } = destination;
  return kind !== undefined && isChatKind(kind)
    ? PLATFORMS[kind].productName
    : PLATFORM_LIST.map((platform) => platform.productName).join(' or ');
}

/** The destination's secret: a webhook URL, or a Slack app's credentials (JSON fields botToken, signingSecret). */
function secretText(destination: DestinationConfig, key: kms.IKey): Parameters<typeof relaySecret>[2] {
  const { name } = destination;
  if (destination.channel !== undefined) {
    return {
      description:
        `Slack app credentials of the "${name}" alert destination, a JSON object with botToken and signingSecret: ` +
        `store them with npx paubox-relay set-destination ${name} --bot-token - (and --signing-secret -).`,
      length: 32,
      key,
      notRotatedBecause:
        "The values are a Slack app's bot token and signing secret, which only Slack issues; they are replaced by " +
        'reinstalling the app and storing them again, which the notifier reads again within 5 minutes.',
    };
  }
  return {
    description:
      `Webhook URL of the "${name}" alert destination. Replace this generated placeholder with the ` +
      `${webhookPlatformOf(destination)} incoming-webhook URL.`,
    length: 32,
    key,
    notRotatedBecause:
      `The value is a ${webhookPlatformOf(destination)} webhook URL that only the platform can issue; it is ` +
      'replaced by putting a new URL (README runbook), which the notifier reads again within 5 minutes.',
  };
}

/**
 * One chat destination: the secret holding its webhook URL, its queue (subscribed to the topic with the routes'
 * filter policy) and dead-letter queue, the notifier that posts to it, and the alarms watching them.
 */
export class ChatDestination extends Construct implements RelayDestination {
  public readonly config: DestinationConfig;
  public readonly queue: sqs.Queue;
  public readonly deadLetterQueue: sqs.Queue;
  public readonly function: NodejsFunction;
  public readonly secret: secretsmanager.Secret;
  public readonly logGroup: logs.LogGroup;
  public readonly alarms: DestinationAlarms;

  constructor(scope: Construct, id: string, props: ChatDestinationProps) {
    super(scope, id);
    const { destination, policy, routed } = props.planned;
    const { name, digest, channel } = destination;
    this.config = destination;
    this.secret = relaySecret(this, 'WebhookUrlSecret', secretText(destination, props.key));
    const queues = queueWithDeadLetters(this, '', {
      key: props.key,
      retentionPeriod: props.messageRetention,
      // AWS's guidance for Lambda event sources: at least six times the function timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(NOTIFIER_TIMEOUT.toSeconds() * 6 + digest.windowSeconds),
      maxReceiveCount: props.maxReceiveCount,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;
    props.events.subscribe(this.queue, policy);

    const notifier = props.functions.create(this, 'NotifierFunction', {
      entry: 'notifier',
      description: `Posts relayed Paubox alerts to the "${name}" destination`,
      roleDescription: `Notifier of the "${name}" relay destination`,
      logName: `notifier/${name}`,
      memorySize: props.memorySize,
      timeout: NOTIFIER_TIMEOUT,
      environment: environmentOf(this, NOTIFIER_ENV, {
        destination: name,
        // Console destinations are never deployed (plan.ts); `auto` reads the platform from the stored URL.
        kind: destination.kind !== undefined && isChatKind(destination.kind) ? destination.kind : 'auto',
        detail: destination.detail,
        minGroupSize: digest.minGroupSize,
        windowSeconds: digest.windowSeconds,
        // Unset: the notifier applies the default of the platform it finds in the secret.
        messagesPerSecond: destination.messagesPerSecond,
        // A Slack app: the channel, and the routes' own policy that tells routed events from follow-ups.
        ...(channel !== undefined ? { channel, routedPolicy: routed } : {}),
      }),
      invocation: 'queue',
      concurrencyBound: QUEUE_CONCURRENCY_BOUND,
    });
    this.function = notifier.fn;
    this.logGroup = notifier.logGroup;
    this.secret.grantRead(this.function);
    addEnvironment(this.function, NOTIFIER_ENV, { urlSecretArn: this.secret.secretArn });
    props.notifierState.grantTo(this.function);
    // Non-retryable failures go to the dead-letter queue at once, with the reason; the rest after the last receive.
    grantSend(this.deadLetterQueue, this.function, props.key);
    // A failed try is handed back with its backoff as its visibility timeout (the event source's grant to consume
    // the queue includes sqs:ChangeMessageVisibility).
    addEnvironment(this.function, NOTIFIER_ENV, {
      deadLetterQueueUrl: this.deadLetterQueue.queueUrl,
      queueUrl: this.queue.queueUrl,
      maxReceiveCount: props.maxReceiveCount,
    });
    this.function.addEventSource(
      new SqsEventSource(this.queue, {
        // During a storm the window gathers many events into one batch, which the notifier posts as digests.
        batchSize: digest.batchSize,
        ...(digest.windowSeconds > 0 ? { maxBatchingWindow: Duration.seconds(digest.windowSeconds) } : {}),
        reportBatchItemFailures: true,
        // The lowest the event source allows. Not reserved concurrency: new accounts have a 10-execution limit and
        // such a deploy fails, and throttled batches would return to the queue with their receive count raised.
        // The two invocations share the destination's rate limit through send slots in the de-duplication table.
        maxConcurrency: 2,
      }),
    );
    this.alarms = this.createAlarms(props.delayThreshold);
  }

  private createAlarms(delayThreshold: Duration): DestinationAlarms {
    const { name } = this.config;
    const dimensions = { [DESTINATION_DIMENSION]: name };
    return {
      deadLetters: deadLettersAlarm(
        this,
        'DeadLettersAlarm',
        this.deadLetterQueue,
        `Alerts for destination "${name}" are in its dead-letter queue: fix the channel (see the README ` +
          `runbook; \`npx paubox-relay dead-letters ${name}\` shows why), then \`npx paubox-relay redrive ${name}\`.`,
      ),
      broken: countAlarm(
        this,
        'BrokenAlarm',
        relayMetric(this, DESTINATION_BROKEN_METRIC, NOTIFIER_SERVICE, dimensions),
        this.config.channel === undefined
          ? `Destination "${name}" refused an alert for good (e.g. a revoked or deleted webhook): put a working ` +
              `${webhookPlatformOf(this.config)} webhook URL in secret ${this.secret.secretName} ` +
              `(\`npx paubox-relay set-destination ${name} <url>\`), then \`npx paubox-relay redrive ${name}\` ` +
              '(see the README runbook).'
          : `Slack refused an alert of app destination "${name}" for good (a revoked token, an archived channel, ` +
              `the app not in the channel): \`npx paubox-relay check-destinations\` says which and how to fix it ` +
              `(a new bot token: \`npx paubox-relay set-destination ${name} --bot-token -\`), then ` +
              `\`npx paubox-relay redrive ${name}\` (docs/slack-app.md).`,
      ),
      errors: countAlarm(
        this,
        'ErrorsAlarm',
        this.function.metricErrors({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
        `The notifier function of destination "${name}" failed (see its log group); SQS delivers its alerts ` +
          'again, and dead-letters them after the last receive.',
      ),
      delay: relayAlarm(this, 'DelayAlarm', {
        description:
          `An alert reached destination "${name}" more than ${delayThreshold.toHumanString()} after Paubox's ` +
          "event time: look at the destination queue's age, retries and rate limiting on the dashboard. " +
          'A redrive of old dead letters also fires it.',
        metric: relayMetric(this, END_TO_END_DELAY_METRIC, NOTIFIER_SERVICE, dimensions, cloudwatch.Stats.MAXIMUM),
        threshold: delayThreshold.toMilliseconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      }),
    };
  }
}
