import { Annotations, Duration, Names, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { unroutedDestinations, type DestinationConfig, type RelayConfig } from '../functions/commons/config';
import { DESTINATION_BROKEN_METRIC, METRIC_NAMESPACE } from '../functions/commons/logger';
import { filterPolicyFor, type FilterPolicy } from '../functions/commons/routing';
import { LAMBDA_ENTRIES, lambdaBundling } from './bundling';

export { DESTINATION_BROKEN_METRIC, METRIC_NAMESPACE };

/** Properties of {@link PauboxAlertRelay}. */
export interface PauboxAlertRelayProps {
  /** The relay configuration, already validated with `parseRelayConfig(raw, 'deploy')`. */
  readonly config: RelayConfig;
  /**
   * Memory of the ingest function, in MiB. Lambda's CPU, and so the cold start Paubox waits on, grows with it.
   * @default 512 (see {@link DEFAULT_INGEST_MEMORY_MB})
   */
  readonly ingestMemorySize?: number;
  /**
   * Memory of each notifier function (and of the drain function), in MiB.
   * @default 256 (see {@link DEFAULT_NOTIFIER_MEMORY_MB})
   */
  readonly notifierMemorySize?: number;
  /**
   * Retention of every function's log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Lambda runtime of every function; must be Node.js 22 or newer.
   * @default lambda.Runtime.NODEJS_22_X
   */
  readonly runtime?: lambda.Runtime;
  /**
   * How long a destination queue keeps an alert that could not be delivered yet.
   * @default Duration.days(4)
   */
  readonly messageRetention?: Duration;
  /**
   * Deliveries of one alert to a notifier before it moves to the destination's dead-letter queue.
   * @default 5
   */
  readonly maxReceiveCount?: number;
  /**
   * Steady-state requests per second accepted by the HTTP API's default stage.
   * @default 50
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests accepted by the HTTP API's default stage.
   * @default 100
   */
  readonly throttlingBurstLimit?: number;
}

/** The alarms watching one chat destination. They have no actions: add them with `addAlarmAction`. */
export interface DestinationAlarms {
  /** Fires on the first alert in the destination's dead-letter queue. */
  readonly deadLetters: cloudwatch.Alarm;
  /** Fires when the destination answers a non-retryable error (such as a revoked webhook URL). */
  readonly broken: cloudwatch.Alarm;
}

/** The alarms watching the ingest fallback path. They have no actions: add them with `addAlarmAction`. */
export interface FallbackAlarms {
  /** Fires when an event has waited in the fallback queue for 5 minutes: publishing to the topic still fails. */
  readonly stuck: cloudwatch.Alarm;
  /** Fires on the first event the drainer gave up republishing. */
  readonly deadLetters: cloudwatch.Alarm;
}

/** The resources that deliver alerts to one chat destination. */
export interface RelayDestination {
  /** Receives the alerts routed to this destination from the topic. */
  readonly queue: sqs.Queue;
  /** Holds alerts the notifier failed to deliver `maxReceiveCount` times. */
  readonly deadLetterQueue: sqs.Queue;
  /** Posts the queued alerts to the chat webhook. */
  readonly function: NodejsFunction;
  /** Holds the destination's Slack or Teams webhook URL (a placeholder until replaced). */
  readonly secret: secretsmanager.Secret;
  /** The alarms watching this destination. */
  readonly alarms: DestinationAlarms;
}

interface PlannedDestination {
  readonly destination: DestinationConfig;
  /** PascalCase name, the stem of its construct ids and output names. */
  readonly id: string;
  readonly policy: FilterPolicy;
}

/**
 * Chosen with `npm run bench` (README "Performance"): a process peaks near 110 MB RSS, and Lambda gives CPU in
 * proportion to memory, so the measured cold-start overhead (~100 ms on a full core) stretches ~3.5× at 512 MB,
 * keeping ingest's under the bench's 500 ms budget; its billed time is mostly waiting for SNS, so 512 MB adds under
 * $0.10 a million events. A notifier's alert is not awaited by anyone: 256 MB keeps its cold start under 1 s at
 * the lowest cost, as its time is mostly spent waiting for the chat platform.
 */
export const DEFAULT_INGEST_MEMORY_MB = 512;
export const DEFAULT_NOTIFIER_MEMORY_MB = 256;
const INGEST_TIMEOUT = Duration.seconds(10);
const NOTIFIER_TIMEOUT = Duration.seconds(30);
const DRAIN_TIMEOUT = Duration.seconds(30);
const DLQ_RETENTION = Duration.days(14);
// The SQS maximum: an event in the fallback queue exists nowhere else, since Paubox never retries a webhook.
const FALLBACK_RETENTION = Duration.days(14);
const FALLBACK_MAX_RECEIVE_COUNT = 10;
/** An event older than this in the fallback queue means publishing to the topic keeps failing. */
const FALLBACK_STUCK_AGE = Duration.minutes(5);
/** What a notifier does with its de-duplication records; nothing that reads or writes in bulk. */
const DEDUP_TABLE_ACTIONS = ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
// `table.grant` adds no key permission; these are the ones `grantReadWriteData` would add for a customer-managed key.
const DEDUP_KEY_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey', 'kms:Encrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*'];
const MIN_NODE_MAJOR = 22;

/** `care-team` → `CareTeam`: the form destination names take in construct ids and output names. */
export function pascalCaseName(name: string): string {
  return name
    .split('-')
    .filter((part) => part.length > 0)
    .map((part) => part.charAt(0).toUpperCase() + part.slice(1))
    .join('');
}

function nodeMajorOf(runtime: lambda.Runtime): number {
  const match = /^nodejs(\d+)\.x$/.exec(runtime.name);
  if (runtime.family !== lambda.RuntimeFamily.NODEJS || !match) {
    throw new Error(
      `runtime ${runtime.name} is not a Node.js runtime; use lambda.Runtime.NODEJS_22_X or a newer Node.js runtime`,
    );
  }
  const major = Number(match[1]);
  if (major < MIN_NODE_MAJOR) {
    throw new Error(
      `runtime ${runtime.name} is older than Node.js ${MIN_NODE_MAJOR}; use lambda.Runtime.NODEJS_22_X or newer ` +
        '(the handlers rely on the AWS SDK v3 that Node.js 22+ runtimes ship)',
    );
  }
  return major;
}

function checkInteger(prop: string, value: number, min: number, max: number): number {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new Error(`${prop} must be a whole number from ${min} to ${max}, got ${value}`);
  }
  return value;
}

function checkPositive(prop: string, value: number): number {
  if (!Token.isUnresolved(value) && !(value > 0)) {
    throw new Error(`${prop} must be greater than 0, got ${value}; omit it for the default`);
  }
  return value;
}

function checkRetention(prop: string, value: Duration): Duration {
  if (!value.isUnresolved() && (value.toSeconds() < 60 || value.toSeconds() > DLQ_RETENTION.toSeconds())) {
    throw new Error(`${prop} must be from 1 minute to 14 days (the SQS limits), got ${value.toHumanString()}`);
  }
  return value;
}

/** An alarm that fires on the first message in a dead-letter queue. */
function deadLettersAlarm(
  scope: Construct,
  id: string,
  deadLetterQueue: sqs.IQueue,
  props: { readonly alarmDescription: string },
): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    ...props,
    metric: deadLetterQueue.metricApproximateNumberOfMessagesVisible({
      statistic: cloudwatch.Stats.MAXIMUM,
      period: Duration.minutes(1),
    }),
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

function webhookPlatformOf(destination: DestinationConfig): string {
  switch (destination.kind) {
    case 'slack':
      return 'Slack';
    case 'teams':
      return 'Microsoft Teams';
    default:
      return 'Slack or Microsoft Teams';
  }
}

/**
 * Receives Paubox webhooks on `POST /paubox/{token}`, publishes the (PHI-free) events to an encrypted SNS topic,
 * and fans them out, filtered by the configured routes, to one queue and notifier function per chat destination.
 * An event ingest cannot publish waits in a fallback queue until a drain function republishes it; notifiers
 * de-duplicate deliveries in a table and dead-letter what they cannot deliver; alarms (without actions) watch both.
 */
export class PauboxAlertRelay extends Construct {
  /** The HTTP API Paubox posts to. */
  public readonly api: HttpApi;
  /** Carries every accepted event, with `event_type` and `sender_domain` message attributes for routing. */
  public readonly topic: sns.Topic;
  /** Customer-managed key encrypting the topic, the queues, the dead-letter queues and the de-duplication table. */
  public readonly key: kms.Key;
  /** Records the alerts each notifier has delivered, so a redelivered message is not posted twice; items expire. */
  public readonly dedupTable: dynamodb.Table;
  /** Holds the events ingest could not publish to the topic, until the drain function republishes them. */
  public readonly fallbackQueue: sqs.Queue;
  /** Holds the events the drain function failed to republish ten times. */
  public readonly fallbackDeadLetterQueue: sqs.Queue;
  /** Republishes the events in the fallback queue to the topic. */
  public readonly drainFunction: NodejsFunction;
  /** Holds the token that ends the webhook URL. */
  public readonly tokenSecret: secretsmanager.Secret;
  /** Holds the key notifiers use to fingerprint recipients without revealing them. */
  public readonly fingerprintSecret: secretsmanager.Secret;
  /** Validates webhooks and publishes them to the topic. */
  public readonly ingestFunction: NodejsFunction;
  /** The deployed chat destinations, by destination name. Console and unrouted destinations are not deployed. */
  public readonly destinations: Readonly<Record<string, RelayDestination>>;
  /** The webhook URL without its token: `https://…/paubox/`. */
  public readonly webhookBaseUrl: string;
  /** The alarms watching the fallback path. */
  public readonly fallbackAlarms: FallbackAlarms;
  /** Every alarm of the relay (the destinations' and the fallback path's), for adding actions in one loop. */
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: PauboxAlertRelayProps) {
    super(scope, id);

    const { config } = props;
    const runtime = props.runtime ?? lambda.Runtime.NODEJS_22_X;
    const nodeMajor = nodeMajorOf(runtime);
    const ingestMemorySize = checkInteger('ingestMemorySize', props.ingestMemorySize ?? DEFAULT_INGEST_MEMORY_MB, 128, 10240);
    const notifierMemorySize = checkInteger('notifierMemorySize', props.notifierMemorySize ?? DEFAULT_NOTIFIER_MEMORY_MB, 128, 10240);
    const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
    const messageRetention = checkRetention('messageRetention', props.messageRetention ?? Duration.days(4));
    const maxReceiveCount = checkInteger('maxReceiveCount', props.maxReceiveCount ?? 5, 1, 1000);
    const throttlingRateLimit = checkPositive('throttlingRateLimit', props.throttlingRateLimit ?? 50);
    const throttlingBurstLimit = checkInteger('throttlingBurstLimit', props.throttlingBurstLimit ?? 100, 0, 5000);

    // Planned before any resource exists, so an invalid configuration fails fast, without bundling anything.
    const plan = this.planDestinations(config);

    const functionDefaults = {
      runtime,
      architecture: lambda.Architecture.ARM_64,
      // Shared with `npm run bench`, which measures what these options build.
      bundling: lambdaBundling(nodeMajor),
    };

    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the Paubox alert relay topic, queues, dead-letter queues and de-duplication table',
      enableKeyRotation: true,
    });

    // The topic and the queues share the key, and each SQS subscription adds a key-policy statement limited to the
    // topic's ARN: referencing the topic there would make key → topic → key a cycle. A named topic has an ARN known
    // without a reference, so subscriptions (and those key-policy statements) use that ARN instead.
    const topicName = `${Names.uniqueResourceName(this, { maxLength: 240, separator: '-' })}-events`;
    this.topic = new sns.Topic(this, 'Topic', { topicName, masterKey: this.key, enforceSSL: true });
    const topicByArn = sns.Topic.fromTopicArn(
      this,
      'TopicByArn',
      Stack.of(this).formatArn({ service: 'sns', resource: topicName }),
    );

    this.tokenSecret = new secretsmanager.Secret(this, 'TokenSecret', {
      description: 'Token ending the Paubox webhook URL (…/paubox/<token>); rotate by putting a new random value',
      // 48 characters of [A-Za-z0-9] (about 285 bits) stay safe in a URL path.
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
    });
    this.fingerprintSecret = new secretsmanager.Secret(this, 'FingerprintSecret', {
      description: 'HMAC key the notifiers use to fingerprint recipients in alerts without revealing them',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
    });

    // dynamodb.Table, not TableV2: TableV2 cannot use a customer-managed key in an environment-agnostic stack.
    this.dedupTable = new dynamodb.Table(this, 'DedupTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });

    this.fallbackDeadLetterQueue = new sqs.Queue(this, 'FallbackDeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: DLQ_RETENTION,
    });
    this.fallbackQueue = new sqs.Queue(this, 'FallbackQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
      retentionPeriod: FALLBACK_RETENTION,
      visibilityTimeout: Duration.seconds(DRAIN_TIMEOUT.toSeconds() * 6),
      deadLetterQueue: { queue: this.fallbackDeadLetterQueue, maxReceiveCount: FALLBACK_MAX_RECEIVE_COUNT },
    });

    this.ingestFunction = new NodejsFunction(this, 'IngestFunction', {
      ...functionDefaults,
      entry: LAMBDA_ENTRIES.ingest,
      description: 'Validates Paubox webhooks and publishes them to the relay topic',
      memorySize: ingestMemorySize,
      timeout: INGEST_TIMEOUT,
      logGroup: new logs.LogGroup(this, 'IngestFunctionLogs', { retention: logRetention }),
    });
    this.topic.grantPublish(this.ingestFunction);
    this.ingestFunction.addEnvironment('TOPIC_ARN', this.topic.topicArn);
    this.tokenSecret.grantRead(this.ingestFunction);
    this.ingestFunction.addEnvironment('TOKEN_SECRET_ARN', this.tokenSecret.secretArn);
    this.fallbackQueue.grantSendMessages(this.ingestFunction);
    this.ingestFunction.addEnvironment('FALLBACK_QUEUE_URL', this.fallbackQueue.queueUrl);

    this.drainFunction = new NodejsFunction(this, 'DrainFunction', {
      ...functionDefaults,
      entry: LAMBDA_ENTRIES.drainer,
      description: 'Republishes to the relay topic the Paubox events that ingest kept in the fallback queue',
      memorySize: notifierMemorySize,
      timeout: DRAIN_TIMEOUT,
      logGroup: new logs.LogGroup(this, 'DrainFunctionLogs', { retention: logRetention }),
    });
    this.topic.grantPublish(this.drainFunction);
    this.drainFunction.addEnvironment('TOPIC_ARN', this.topic.topicArn);
    this.drainFunction.addEventSource(
      new SqsEventSource(this.fallbackQueue, { batchSize: 10, reportBatchItemFailures: true }),
    );

    this.api = new HttpApi(this, 'Api', {
      description: 'Receives Paubox email webhooks',
      createDefaultStage: true,
    });
    // HttpApi has no typed throttle for its default stage; the L1 property is typed, so set it there.
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    if (!(defaultStage instanceof CfnStage)) throw new Error('HttpApi did not create its default stage');
    defaultStage.defaultRouteSettings = { throttlingRateLimit, throttlingBurstLimit };
    this.api.addRoutes({
      path: '/paubox/{token}',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', this.ingestFunction),
    });
    this.webhookBaseUrl = `${this.api.apiEndpoint}/paubox/`;

    const deployed: Record<string, RelayDestination> = {};
    for (const { destination, id, policy } of plan) {
      const { name } = destination;
      const scope = new Construct(this, `${id}Destination`);
      const secret = new secretsmanager.Secret(scope, 'WebhookUrlSecret', {
        description:
          `Webhook URL of the "${name}" alert destination. Replace this generated placeholder with the ` +
          `${webhookPlatformOf(destination)} incoming-webhook URL.`,
        generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
      });
      const deadLetterQueue = new sqs.Queue(scope, 'DeadLetterQueue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: DLQ_RETENTION,
      });
      const queue = new sqs.Queue(scope, 'Queue', {
        encryption: sqs.QueueEncryption.KMS,
        encryptionMasterKey: this.key,
        enforceSSL: true,
        retentionPeriod: messageRetention,
        // AWS's guidance for Lambda event sources: at least six times the function timeout.
        visibilityTimeout: Duration.seconds(NOTIFIER_TIMEOUT.toSeconds() * 6),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
      });

      const subscription = topicByArn.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true }));
      subscription.node.addDependency(this.topic);
      // The typed filterPolicy cannot express `$or` or `suffix` matchers; the L1 property takes the policy as is.
      const cfnSubscription = subscription.node.defaultChild;
      if (!(cfnSubscription instanceof sns.CfnSubscription)) throw new Error('SNS subscription has no L1 resource');
      cfnSubscription.filterPolicy = policy;
      cfnSubscription.filterPolicyScope = 'MessageAttributes';

      const fn = new NodejsFunction(scope, 'NotifierFunction', {
        ...functionDefaults,
        entry: LAMBDA_ENTRIES.notifier,
        description: `Posts relayed Paubox alerts to the "${name}" destination`,
        memorySize: notifierMemorySize,
        timeout: NOTIFIER_TIMEOUT,
        logGroup: new logs.LogGroup(scope, 'NotifierFunctionLogs', { retention: logRetention }),
        environment: {
          DESTINATION_NAME: name,
          DESTINATION_KIND: destination.kind ?? 'auto',
          DESTINATION_DETAIL: destination.detail,
        },
      });
      secret.grantRead(fn);
      fn.addEnvironment('DESTINATION_SECRET_ARN', secret.secretArn);
      this.fingerprintSecret.grantRead(fn);
      fn.addEnvironment('FINGERPRINT_SECRET_ARN', this.fingerprintSecret.secretArn);
      this.dedupTable.grant(fn, ...DEDUP_TABLE_ACTIONS);
      this.dedupTable.grantOnKey(fn, ...DEDUP_KEY_ACTIONS);
      fn.addEnvironment('DEDUP_TABLE_NAME', this.dedupTable.tableName);
      // Non-retryable failures go to the dead-letter queue at once, with the reason; the rest after the last receive.
      deadLetterQueue.grantSendMessages(fn);
      fn.addEnvironment('DEAD_LETTER_QUEUE_URL', deadLetterQueue.queueUrl);
      fn.addEnvironment('MAX_RECEIVE_COUNT', Tokenization.stringifyNumber(maxReceiveCount));
      fn.addEventSource(
        new SqsEventSource(queue, {
          batchSize: 10,
          reportBatchItemFailures: true,
          // Not reserved concurrency: new accounts have a 10-execution limit and such a deploy fails.
          maxConcurrency: 2,
        }),
      );

      const alarms: DestinationAlarms = {
        deadLetters: deadLettersAlarm(scope, 'DeadLettersAlarm', deadLetterQueue, {
          alarmDescription:
            `Alerts for destination "${name}" are in its dead-letter queue: fix the channel (see the README ` +
            `runbook), then \`npm run redrive -- ${name}\`.`,
        }),
        broken: new cloudwatch.Alarm(scope, 'BrokenAlarm', {
          alarmDescription:
            `Destination "${name}" refused an alert for good (e.g. a revoked or deleted webhook): put a working ` +
            `${webhookPlatformOf(destination)} webhook URL in secret ${secret.secretName}, then ` +
            `\`npm run redrive -- ${name}\` (see the README runbook).`,
          metric: new cloudwatch.Metric({
            namespace: METRIC_NAMESPACE,
            metricName: DESTINATION_BROKEN_METRIC,
            dimensionsMap: { Destination: name },
            statistic: cloudwatch.Stats.SUM,
            period: Duration.minutes(5),
          }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      };

      deployed[name] = { queue, deadLetterQueue, function: fn, secret, alarms };
    }
    this.destinations = deployed;

    this.fallbackAlarms = {
      stuck: new cloudwatch.Alarm(this, 'FallbackStuckAlarm', {
        alarmDescription:
          `Paubox events have waited over ${FALLBACK_STUCK_AGE.toHumanString()} in the fallback queue: ingest ` +
          'cannot publish to the relay topic and the drain function cannot either. Check the drain function\'s ' +
          'logs and the topic and its KMS key; the events are delivered once publishing works again.',
        metric: this.fallbackQueue.metricApproximateAgeOfOldestMessage({
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(1),
        }),
        threshold: FALLBACK_STUCK_AGE.toSeconds(),
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      }),
      deadLetters: deadLettersAlarm(this, 'FallbackDeadLettersAlarm', this.fallbackDeadLetterQueue, {
        alarmDescription:
          `Paubox events the drain function failed to republish ${FALLBACK_MAX_RECEIVE_COUNT} times are in the ` +
          'fallback dead-letter queue: fix the cause (see the drain function\'s logs), then move them back with ' +
          `\`aws sqs start-message-move-task --source-arn ${this.fallbackDeadLetterQueue.queueArn}\`.`,
      }),
    };
    this.alarms = [
      ...Object.values(deployed).flatMap(({ alarms }) => [alarms.deadLetters, alarms.broken]),
      this.fallbackAlarms.stuck,
      this.fallbackAlarms.deadLetters,
    ];
  }

  /** The destinations to deploy, with their construct ids and filter policies; warns about the skipped ones. */
  private planDestinations(config: RelayConfig): PlannedDestination[] {
    const unrouted = new Set(unroutedDestinations(config));
    const namesById = new Map<string, string>();
    const plan: PlannedDestination[] = [];
    for (const destination of config.destinations) {
      const { name } = destination;
      if (destination.kind === 'console') {
        Annotations.of(this).addWarningV2(
          `paubox-alert-relay:consoleDestination:${name}`,
          `Destination "${name}" is a console destination, which only the local relay can use; it is not deployed.`,
        );
        continue;
      }
      const policy = filterPolicyFor(name, config.routes);
      if (unrouted.has(name) || policy === undefined) {
        Annotations.of(this).addWarningV2(
          `paubox-alert-relay:unroutedDestination:${name}`,
          `No route sends events to destination "${name}", so it is not deployed; ` +
            `add it to a route's "to" or remove it.`,
        );
        continue;
      }
      const id = pascalCaseName(name);
      const clash = namesById.get(id);
      if (clash !== undefined) {
        throw new Error(
          `destinations "${clash}" and "${name}" would share the resource name ${id}; rename one of them`,
        );
      }
      namesById.set(id, name);
      plan.push({ destination, id, policy });
    }
    if (plan.length === 0) {
      Annotations.of(this).addWarningV2(
        'paubox-alert-relay:noDestinations',
        'No chat destination is deployed, so accepted webhooks reach nobody; add a slack/teams destination and route.',
      );
    }
    return plan;
  }
}
