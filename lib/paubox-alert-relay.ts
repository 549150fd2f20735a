import { Annotations, Aws, Duration, Names, Stack, Token, Tokenization } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import {
  DEFAULT_END_TO_END_DELAY_SECONDS,
  DEFAULT_INGEST_CONFIG,
  unroutedDestinations,
  type DestinationConfig,
  type RelayConfig,
} from '../functions/config/relay-config';
import {
  DESTINATION_BROKEN_METRIC,
  DESTINATION_DIMENSION,
  END_TO_END_DELAY_METRIC,
  EVENT_TYPE_DIMENSION,
  INGEST_SERVICE,
  METRIC_NAMESPACE,
  NOTIFIER_SERVICE,
  REASON_DIMENSION,
} from '../functions/observability/metric-names';
import type { NotifierMetric } from '../functions/delivery/notify-batch';
import { EVENT_TYPES } from '../functions/paubox/relay-event';
import { pascalCaseName } from '../functions/config/destination-names';
import { filterPolicyFor, type FilterPolicy } from '../functions/routing/filter-policy';
import {
  acknowledgeAlarm,
  acknowledgeDedupTable,
  acknowledgeFunction,
  acknowledgeFunctionRole,
  acknowledgeRandomPassword,
  acknowledgeUnrotatableSecret,
  acknowledgeWebhookRoute,
} from './nag-acknowledgments';
import { LAMBDA_ENTRIES, lambdaBundling, RECORD_LAMBDA_ENTRIES } from './bundling';
import { addDeliverabilityRecord, type DeliverabilityRecord } from './record';

export { DESTINATION_BROKEN_METRIC, METRIC_NAMESPACE, pascalCaseName };

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
   * Steady-state requests per second accepted by the HTTP API's default stage. A webhook over the limit gets 429
   * and is lost (Paubox does not retry; the `IngestThrottledAlarm` fires), so this is set for a bounce storm: the
   * 10,000 failures in 60 s of `npm run bench:storm` arrive at about 170 a second.
   * @default 200
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests accepted by the HTTP API's default stage.
   * @default 400
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Name of the CloudWatch dashboard.
   * @default the stack's name
   */
  readonly dashboardName?: string;
  /**
   * Retention of the HTTP API's access log (route, status, latency, source IP; never the request path).
   * @default - the same as `logRetention`
   */
  readonly accessLogRetention?: logs.RetentionDays;
}

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

/** The alarms watching the webhook endpoint. Actions as for {@link DestinationAlarms}. */
export interface IngestAlarms {
  /** Fires when the ingest function fails. */
  readonly errors: cloudwatch.Alarm;
  /** Fires on any 5xx answer of the HTTP API: Paubox does not retry, so such an event may be lost. */
  readonly serverErrors: cloudwatch.Alarm;
  /** Fires when the stage throttled a webhook (429): Paubox does not retry, so it is lost. */
  readonly throttled: cloudwatch.Alarm;
}

/** The alarms watching the ingest fallback path. Actions as for {@link DestinationAlarms}. */
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
  /** The notifier's log group, encrypted with the relay's key. */
  readonly logGroup: logs.LogGroup;
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
const ROTATION_TIMEOUT = Duration.seconds(30);
/** How often ingest re-reads the token secret: a rotated token works within this time. */
const TOKEN_CACHE = Duration.seconds(60);
/**
 * What the access log records. `$context.routeKey` is the route template (`POST /paubox/{token}`); the request
 * path, which holds the token, is never logged (`$context.path` must not appear here).
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  time: '$context.requestTime',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatencyMs: '$context.integrationLatency',
  error: '$context.error.message',
  sourceIp: '$context.identity.sourceIp',
});
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
// Spelled out: kms:ReEncrypt* and kms:GenerateDataKey* name these and nothing else the table needs.
const DEDUP_KEY_ACTIONS = [
  'kms:Decrypt',
  'kms:DescribeKey',
  'kms:Encrypt',
  'kms:ReEncryptFrom',
  'kms:ReEncryptTo',
  'kms:GenerateDataKey',
  'kms:GenerateDataKeyWithoutPlaintext',
];
const MIN_NODE_MAJOR = 22;
/** The stage's default throttle: room for a bounce storm (`npm run bench:storm` checks its rate fits). */
export const DEFAULT_THROTTLING_RATE_LIMIT = 200;
export const DEFAULT_THROTTLING_BURST_LIMIT = 400;
/** Counted from the API access log: webhooks the stage answered 429. */
const WEBHOOKS_THROTTLED_METRIC = 'WebhooksThrottled';
/** Period of the relay's alarms and dashboard graphs. */
const ALARM_PERIOD = Duration.minutes(5);
/** Outcome counts on each destination's dashboard graph; `DestinationBroken` has its own alarm. */
const OUTCOME_METRICS: readonly NotifierMetric[] = [
  'AlertsPosted',
  'AlertsUnconfirmed',
  'AlertsDeferred',
  'DeadLetters',
  'Duplicates',
  'DestinationBroken',
  'DigestEvents',
];

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

/** An alarm that fires when a count reaches 1 within one period. */
function countAlarm(scope: Construct, id: string, metric: cloudwatch.IMetric, alarmDescription: string): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription,
    metric,
    threshold: 1,
    comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** One of the relay's own metrics; the `service` dimension is the one Powertools Metrics adds to every metric. */
function relayMetric(
  metricName: string,
  service: string,
  dimensions: Readonly<Record<string, string>>,
  statistic: string = cloudwatch.Stats.SUM,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service, ...dimensions },
    statistic,
    period: ALARM_PERIOD,
    ...(label !== undefined ? { label } : {}),
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

/** A function's own role: it may write to its own log group and nothing else until granted more. */
function functionRole(scope: Construct, id: string, logGroup: logs.ILogGroup, description: string): iam.Role {
  const role = new iam.Role(scope, id, { assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'), description });
  logGroup.grantWrite(role);
  acknowledgeFunctionRole(role);
  return role;
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
  /** Holds the token that ends the webhook URL (and, after a rotation, the previous token until its overlap ends). */
  public readonly tokenSecret: secretsmanager.Secret;
  /** Rotates the webhook token (`aws secretsmanager rotate-secret --secret-id <token secret>`). */
  public readonly rotateTokenFunction: NodejsFunction;
  /** Holds the Standard Webhooks `whsec_…` signing secret; only when `ingest.verifySignatures` is set. */
  public readonly signingSecret?: secretsmanager.Secret;
  /** The HTTP API's access log: route template, status and latency, never the request path (which holds the token). */
  public readonly accessLogGroup: logs.LogGroup;
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
  /** The alarms watching the webhook endpoint. */
  public readonly ingestAlarms: IngestAlarms;
  /** Every alarm of the relay (ingest, destinations, fallback path), for adding actions in one loop. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  /** The topic created for `alarms.email`, encrypted with the relay key; undefined without an e-mail address. */
  public readonly alarmTopic?: sns.Topic;
  /** Ingest, per-destination and end-to-end delay graphs, and the state of every alarm. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The archive, reports and automation bus the configuration asks for (`archive`, `reports`, `automation`). */
  public readonly record: DeliverabilityRecord;

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
    const throttlingRateLimit = checkPositive('throttlingRateLimit', props.throttlingRateLimit ?? DEFAULT_THROTTLING_RATE_LIMIT);
    const throttlingBurstLimit = checkInteger('throttlingBurstLimit', props.throttlingBurstLimit ?? DEFAULT_THROTTLING_BURST_LIMIT, 0, 5000);
    const alarmsConfig = config.alarms ?? {};
    const delayThreshold = Duration.seconds(alarmsConfig.endToEndDelaySeconds ?? DEFAULT_END_TO_END_DELAY_SECONDS);
    const dashboardName = props.dashboardName ?? Stack.of(this).stackName;
    const accessLogRetention = props.accessLogRetention ?? logRetention;
    const ingest = config.ingest ?? DEFAULT_INGEST_CONFIG;

    // Planned before any resource exists, so an invalid configuration fails fast, without bundling anything.
    const plan = this.planDestinations(config);

    const functionDefaults = {
      runtime,
      architecture: lambda.Architecture.ARM_64,
      // Shared with `npm run bench`, which measures what these options build.
      bundling: lambdaBundling(nodeMajor),
    };

    this.key = new kms.Key(this, 'Key', {
      description:
        'Encrypts the Paubox alert relay topic, queues, dead-letter queues, de-duplication table, secrets and log groups',
      enableKeyRotation: true,
    });
    // Log groups are named under one prefix so that CloudWatch Logs may use the key for those log groups only; naming
    // them keeps the key policy free of references to them (a log group referencing the key referencing it is a cycle).
    const logGroupPrefix = `/paubox-alert-relay/${Names.uniqueResourceName(this, { maxLength: 200, separator: '-' })}`;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowRelayLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        // The actions CloudWatch Logs documents for encrypting log groups; a key policy, scoped by the condition.
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${logGroupPrefix}/*`,
          },
        },
      }),
    );
    const logGroup = (scope: Construct, id: string, name: string, retention: logs.RetentionDays) =>
      new logs.LogGroup(scope, id, { logGroupName: `${logGroupPrefix}/${name}`, retention, encryptionKey: this.key });

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
      description:
        'Token ending the Paubox webhook URL (…/paubox/<token>); rotate with aws secretsmanager rotate-secret, ' +
        'the previous token keeps working for the configured overlap',
      // 48 characters of [A-Za-z0-9] (about 285 bits) stay safe in a URL path. Rotations write JSON (token-secret.ts).
      generateSecretString: { passwordLength: 48, excludePunctuation: true, includeSpace: false },
      encryptionKey: this.key,
    });
    this.fingerprintSecret = new secretsmanager.Secret(this, 'FingerprintSecret', {
      description: 'HMAC key the notifiers use to fingerprint recipients in alerts without revealing them',
      generateSecretString: { passwordLength: 64, excludePunctuation: true, includeSpace: false },
      encryptionKey: this.key,
    });
    acknowledgeUnrotatableSecret(
      this.fingerprintSecret.node.defaultChild!,
      'Rotating the fingerprint key would give every recipient a new fingerprint, breaking the one thing ' +
        'fingerprints are for (seeing repeated failures for one person). It is generated by Secrets Manager, ' +
        'encrypted with the relay key, and readable only by the notifier functions.',
    );

    // dynamodb.Table, not TableV2: TableV2 cannot use a customer-managed key in an environment-agnostic stack.
    this.dedupTable = new dynamodb.Table(this, 'DedupTable', {
      partitionKey: { name: 'pk', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: 'expiresAt',
      encryption: dynamodb.TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    acknowledgeDedupTable(this.dedupTable.node.defaultChild!);

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

    // Grants spelled out rather than CDK's grantPublish/grantSendMessages, whose key actions are wildcards
    // (kms:GenerateDataKey*, kms:ReEncrypt*): publishing and sending to an encrypted topic or queue needs these two.
    const grantPublish = (fn: lambda.IFunction) => {
      iam.Grant.addToPrincipal({ grantee: fn, actions: ['sns:Publish'], resourceArns: [this.topic.topicArn] });
      this.key.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
    };
    const grantSend = (queue: sqs.IQueue, fn: lambda.IFunction) => {
      queue.grant(fn, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
      this.key.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
    };
    // Concurrency is bounded without reserving any: a fresh account's quota (10) has none to spare, and a
    // reservation there makes the deploy fail.
    const queueBound =
      'Bounded by its SQS event source\'s maximum concurrency (ScalingConfig), which needs no reservation from the ' +
      'account\'s concurrency quota; a fresh account (quota 10) cannot reserve any and its deploy would fail.';

    const ingestLogs = logGroup(this, 'IngestFunctionLogs', 'ingest', logRetention);
    this.ingestFunction = new NodejsFunction(this, 'IngestFunction', {
      ...functionDefaults,
      entry: LAMBDA_ENTRIES.ingest,
      description: 'Validates Paubox webhooks and publishes them to the relay topic',
      memorySize: ingestMemorySize,
      timeout: INGEST_TIMEOUT,
      logGroup: ingestLogs,
      role: functionRole(this, 'IngestFunctionRole', ingestLogs, 'Ingest function of the Paubox alert relay'),
      reservedConcurrentExecutions: ingest.reservedConcurrency,
      environment: { TOKEN_CACHE_SECONDS: String(TOKEN_CACHE.toSeconds()) },
    });
    acknowledgeFunction(this.ingestFunction.node.defaultChild!, {
      invocation: 'api',
      concurrencyBound:
        ingest.reservedConcurrency !== undefined
          ? undefined
          : `Bounded by the HTTP API stage throttle (${throttlingRateLimit} requests/s, burst ${throttlingBurstLimit}) ` +
            'and a 10 s timeout. Reserved concurrency is opt-in (ingest.reservedConcurrency), because a fresh ' +
            'account (quota 10) cannot reserve any and its deploy would fail.',
    });
    grantPublish(this.ingestFunction);
    this.ingestFunction.addEnvironment('TOPIC_ARN', this.topic.topicArn);
    this.tokenSecret.grantRead(this.ingestFunction);
    this.ingestFunction.addEnvironment('TOKEN_SECRET_ARN', this.tokenSecret.secretArn);
    grantSend(this.fallbackQueue, this.ingestFunction);
    this.ingestFunction.addEnvironment('FALLBACK_QUEUE_URL', this.fallbackQueue.queueUrl);
    if (ingest.verifySignatures) {
      this.signingSecret = new secretsmanager.Secret(this, 'SigningSecret', {
        description:
          'Standard Webhooks signing secret (whsec_…) of the Paubox webhook endpoint: replace this placeholder with ' +
          'the value Paubox shows. Until then ingest answers 503 rather than accept unsigned webhooks.',
        generateSecretString: { passwordLength: 32, excludePunctuation: true, includeSpace: false },
        encryptionKey: this.key,
      });
      acknowledgeUnrotatableSecret(
        this.signingSecret.node.defaultChild!,
        'Paubox issues the signing secret for the webhook endpoint; it changes when Paubox rotates it, by putting ' +
          'the new value here. No function of the relay can create one.',
      );
      this.signingSecret.grantRead(this.ingestFunction);
      this.ingestFunction.addEnvironment('SIGNING_SECRET_ARN', this.signingSecret.secretArn);
    }

    const rotateLogs = logGroup(this, 'RotateTokenFunctionLogs', 'rotate-token', logRetention);
    const rotateRole = functionRole(this, 'RotateTokenFunctionRole', rotateLogs, 'Rotates the Paubox relay webhook token');
    this.rotateTokenFunction = new NodejsFunction(this, 'RotateTokenFunction', {
      ...functionDefaults,
      entry: LAMBDA_ENTRIES.rotateToken,
      description: 'Rotates the Paubox webhook token, keeping the previous one valid for an overlap',
      memorySize: notifierMemorySize,
      timeout: ROTATION_TIMEOUT,
      logGroup: rotateLogs,
      role: rotateRole,
      environment: { TOKEN_OVERLAP_HOURS: String(ingest.tokenOverlapHours) },
    });
    acknowledgeFunction(this.rotateTokenFunction.node.defaultChild!, {
      invocation: 'rotation',
      concurrencyBound: 'Invoked only by Secrets Manager, for this one secret, one rotation step at a time.',
    });
    // What CDK's addRotationSchedule would grant, without its wildcard key actions.
    iam.Grant.addToPrincipal({
      grantee: rotateRole,
      actions: [
        'secretsmanager:DescribeSecret',
        'secretsmanager:GetSecretValue',
        'secretsmanager:PutSecretValue',
        'secretsmanager:UpdateSecretVersionStage',
      ],
      resourceArns: [this.tokenSecret.secretArn],
    });
    rotateRole.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['kms:Decrypt', 'kms:DescribeKey', 'kms:GenerateDataKey'],
        resources: [this.key.keyArn],
        conditions: {
          StringEquals: {
            'kms:ViaService': `secretsmanager.${Aws.REGION}.amazonaws.com`,
            'kms:EncryptionContext:SecretARN': this.tokenSecret.secretArn,
          },
        },
      }),
    );
    rotateRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['secretsmanager:GetRandomPassword'], resources: ['*'] }));
    acknowledgeRandomPassword(rotateRole);
    this.rotateTokenFunction.addPermission('InvokeBySecretsManager', {
      principal: new iam.ServicePrincipal('secretsmanager.amazonaws.com'),
      // This function rotates this one secret only.
      sourceArn: this.tokenSecret.secretArn,
      sourceAccount: Aws.ACCOUNT_ID,
    });
    // On demand unless a schedule is configured: a new token means pasting a new URL into Paubox. Never at deploy.
    const rotation = new secretsmanager.CfnRotationSchedule(this, 'TokenRotationSchedule', {
      secretId: this.tokenSecret.secretArn,
      rotationLambdaArn: this.rotateTokenFunction.functionArn,
      rotateImmediatelyOnUpdate: false,
      ...(ingest.tokenRotationDays !== undefined ? { rotationRules: { automaticallyAfterDays: ingest.tokenRotationDays } } : {}),
    });
    rotation.node.addDependency(this.rotateTokenFunction.node.findChild('InvokeBySecretsManager'));
    if (ingest.tokenRotationDays === undefined) {
      acknowledgeUnrotatableSecret(
        this.tokenSecret.node.defaultChild!,
        'Rotation is set up (a custom rotation function keeps the previous token valid for an overlap) but runs on ' +
          'demand: each new token must be pasted into the Paubox dashboard, and an unattended schedule would end the ' +
          'old URL after the overlap with nobody having pasted the new one. Set ingest.tokenRotationDays to schedule it.',
      );
    }

    const drainLogs = logGroup(this, 'DrainFunctionLogs', 'drain-fallback', logRetention);
    this.drainFunction = new NodejsFunction(this, 'DrainFunction', {
      ...functionDefaults,
      entry: LAMBDA_ENTRIES.drainer,
      description: 'Republishes to the relay topic the Paubox events that ingest kept in the fallback queue',
      memorySize: notifierMemorySize,
      timeout: DRAIN_TIMEOUT,
      logGroup: drainLogs,
      role: functionRole(this, 'DrainFunctionRole', drainLogs, 'Fallback drain function of the Paubox alert relay'),
    });
    acknowledgeFunction(this.drainFunction.node.defaultChild!, { invocation: 'queue', concurrencyBound: queueBound });
    grantPublish(this.drainFunction);
    this.drainFunction.addEnvironment('TOPIC_ARN', this.topic.topicArn);
    this.drainFunction.addEventSource(
      new SqsEventSource(this.fallbackQueue, { batchSize: 10, reportBatchItemFailures: true, maxConcurrency: 2 }),
    );

    this.api = new HttpApi(this, 'Api', {
      description: 'Receives Paubox email webhooks',
      createDefaultStage: true,
    });
    // HttpApi has no typed throttle for its default stage; the L1 property is typed, so set it there.
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    if (!(defaultStage instanceof CfnStage)) throw new Error('HttpApi did not create its default stage');
    defaultStage.defaultRouteSettings = { throttlingRateLimit, throttlingBurstLimit };
    this.accessLogGroup = logGroup(this, 'ApiAccessLogs', 'api-access', accessLogRetention);
    defaultStage.accessLogSettings = { destinationArn: this.accessLogGroup.logGroupArn, format: ACCESS_LOG_FORMAT };
    const [route] = this.api.addRoutes({
      path: '/paubox/{token}',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', this.ingestFunction),
    });
    acknowledgeWebhookRoute(route!.node.defaultChild!);
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
        encryptionKey: this.key,
      });
      acknowledgeUnrotatableSecret(
        secret.node.defaultChild!,
        `The value is a ${webhookPlatformOf(destination)} webhook URL that only the platform can issue; it is ` +
          'replaced by putting a new URL (README runbook), which the notifier reads again within 5 minutes.',
      );
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
        // AWS's guidance for Lambda event sources: at least six times the function timeout, plus the batching window.
        visibilityTimeout: Duration.seconds(NOTIFIER_TIMEOUT.toSeconds() * 6 + destination.digest.windowSeconds),
        deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount },
      });

      const subscription = topicByArn.addSubscription(new SqsSubscription(queue, { rawMessageDelivery: true }));
      subscription.node.addDependency(this.topic);
      // The typed filterPolicy cannot express `$or` or `suffix` matchers; the L1 property takes the policy as is.
      const cfnSubscription = subscription.node.defaultChild;
      if (!(cfnSubscription instanceof sns.CfnSubscription)) throw new Error('SNS subscription has no L1 resource');
      cfnSubscription.filterPolicy = policy;
      cfnSubscription.filterPolicyScope = 'MessageAttributes';

      const notifierLogs = logGroup(scope, 'NotifierFunctionLogs', `notifier/${name}`, logRetention);
      const fn = new NodejsFunction(scope, 'NotifierFunction', {
        ...functionDefaults,
        entry: LAMBDA_ENTRIES.notifier,
        description: `Posts relayed Paubox alerts to the "${name}" destination`,
        memorySize: notifierMemorySize,
        timeout: NOTIFIER_TIMEOUT,
        logGroup: notifierLogs,
        role: functionRole(scope, 'NotifierFunctionRole', notifierLogs, `Notifier of the "${name}" relay destination`),
        environment: {
          DESTINATION_NAME: name,
          DESTINATION_KIND: destination.kind ?? 'auto',
          DESTINATION_DETAIL: destination.detail,
          DIGEST_MIN_GROUP_SIZE: String(destination.digest.minGroupSize),
          // Unset: the notifier applies the default of the platform it finds in the secret.
          ...(destination.messagesPerSecond !== undefined ? { RATE_LIMIT_PER_SECOND: String(destination.messagesPerSecond) } : {}),
        },
      });
      acknowledgeFunction(fn.node.defaultChild!, { invocation: 'queue', concurrencyBound: queueBound });
      secret.grantRead(fn);
      fn.addEnvironment('DESTINATION_SECRET_ARN', secret.secretArn);
      this.fingerprintSecret.grantRead(fn);
      fn.addEnvironment('FINGERPRINT_SECRET_ARN', this.fingerprintSecret.secretArn);
      this.dedupTable.grant(fn, ...DEDUP_TABLE_ACTIONS);
      this.dedupTable.grantOnKey(fn, ...DEDUP_KEY_ACTIONS);
      fn.addEnvironment('DEDUP_TABLE_NAME', this.dedupTable.tableName);
      // Non-retryable failures go to the dead-letter queue at once, with the reason; the rest after the last receive.
      grantSend(deadLetterQueue, fn);
      fn.addEnvironment('DEAD_LETTER_QUEUE_URL', deadLetterQueue.queueUrl);
      fn.addEnvironment('MAX_RECEIVE_COUNT', Tokenization.stringifyNumber(maxReceiveCount));
      fn.addEventSource(
        new SqsEventSource(queue, {
          // During a storm the window gathers many events into one batch, which the notifier posts as digests.
          batchSize: destination.digest.batchSize,
          ...(destination.digest.windowSeconds > 0 ? { maxBatchingWindow: Duration.seconds(destination.digest.windowSeconds) } : {}),
          reportBatchItemFailures: true,
          // The lowest the event source allows. Not reserved concurrency: new accounts have a 10-execution limit and
          // such a deploy fails, and throttled batches would return to the queue with their receive count raised.
          // The two invocations share the destination's rate limit through send slots in the de-duplication table.
          maxConcurrency: 2,
        }),
      );

      const alarms: DestinationAlarms = {
        deadLetters: deadLettersAlarm(scope, 'DeadLettersAlarm', deadLetterQueue, {
          alarmDescription:
            `Alerts for destination "${name}" are in its dead-letter queue: fix the channel (see the README ` +
            `runbook; \`npx paubox-relay dead-letters ${name}\` shows why), then \`npx paubox-relay redrive ${name}\`.`,
        }),
        broken: new cloudwatch.Alarm(scope, 'BrokenAlarm', {
          alarmDescription:
            `Destination "${name}" refused an alert for good (e.g. a revoked or deleted webhook): put a working ` +
            `${webhookPlatformOf(destination)} webhook URL in secret ${secret.secretName} ` +
            `(\`npx paubox-relay set-destination ${name} <url>\`), then \`npx paubox-relay redrive ${name}\` ` +
            '(see the README runbook).',
          metric: relayMetric(DESTINATION_BROKEN_METRIC, NOTIFIER_SERVICE, { [DESTINATION_DIMENSION]: name }),
          threshold: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
        errors: countAlarm(
          scope,
          'ErrorsAlarm',
          fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
          `The notifier function of destination "${name}" failed (see its log group); SQS delivers its alerts ` +
            'again, and dead-letters them after the last receive.',
        ),
        delay: new cloudwatch.Alarm(scope, 'DelayAlarm', {
          alarmDescription:
            `An alert reached destination "${name}" more than ${delayThreshold.toHumanString()} after Paubox's ` +
            'event time: look at the destination queue\'s age, retries and rate limiting on the dashboard. ' +
            'A redrive of old dead letters also fires it.',
          metric: relayMetric(END_TO_END_DELAY_METRIC, NOTIFIER_SERVICE, { [DESTINATION_DIMENSION]: name }, cloudwatch.Stats.MAXIMUM),
          threshold: delayThreshold.toMilliseconds(),
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 1,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        }),
      };

      deployed[name] = { queue, deadLetterQueue, function: fn, secret, logGroup: notifierLogs, alarms };
    }
    this.destinations = deployed;

    this.record = addDeliverabilityRecord(this, {
      config,
      topic: topicByArn,
      topicResource: this.topic,
      key: this.key,
      fingerprintSecret: this.fingerprintSecret,
      logGroup: (scope, id, name) => logGroup(scope, id, name, logRetention),
      queues: Object.fromEntries(Object.entries(deployed).map(([name, d]) => [name, d.queue])),
      newFunction: (scope, id, options) => {
        const logs = logGroup(scope, `${id}Logs`, options.logName, logRetention);
        return new NodejsFunction(scope, id, {
          ...functionDefaults,
          entry: RECORD_LAMBDA_ENTRIES[options.entry],
          description: options.description,
          memorySize: notifierMemorySize,
          timeout: options.timeout,
          logGroup: logs,
          role: functionRole(scope, `${id}Role`, logs, options.description),
          environment: { ...options.environment },
        });
      },
    });

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
    this.ingestAlarms = {
      errors: countAlarm(
        this,
        'IngestErrorsAlarm',
        this.ingestFunction.metricErrors({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
        'The ingest function failed: Paubox does not retry, so the webhooks it was handling may be lost. ' +
          'See its log group.',
      ),
      serverErrors: countAlarm(
        this,
        'Ingest5xxAlarm',
        this.api.metricServerError({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
        'The webhook endpoint answered 5xx: Paubox does not retry, so those events are lost. A 503 means neither ' +
          'the topic nor the fallback queue accepted the event; see the ingest function\'s log group.',
      ),
      throttled: countAlarm(
        this,
        'IngestThrottledAlarm',
        // HTTP APIs publish no 429 count of their own: the access log's status is counted instead.
        new logs.MetricFilter(this, 'ThrottledWebhooksFilter', {
          logGroup: this.accessLogGroup,
          metricNamespace: METRIC_NAMESPACE,
          metricName: WEBHOOKS_THROTTLED_METRIC,
          filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
          metricValue: '1',
        }).metric({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
        'The webhook endpoint throttled webhooks (429): Paubox does not retry, so those events are lost. Raise the ' +
          'stage\'s throttlingRateLimit / throttlingBurstLimit (and the account\'s Lambda concurrency if needed).',
      ),
    };
    this.alarms = [
      this.ingestAlarms.errors,
      this.ingestAlarms.serverErrors,
      this.ingestAlarms.throttled,
      ...Object.values(deployed).flatMap(({ alarms }) => [alarms.deadLetters, alarms.broken, alarms.errors, alarms.delay]),
      this.fallbackAlarms.stuck,
      this.fallbackAlarms.deadLetters,
      ...this.record.alarms,
    ];

    const actions: cloudwatch.IAlarmAction[] = [];
    if (alarmsConfig.email !== undefined) {
      // CloudWatch publishes to the encrypted topic with the key: the key policy must let it.
      this.key.addToResourcePolicy(
        new iam.PolicyStatement({
          sid: 'AllowCloudWatchAlarmsToNotifyTheAlarmTopic',
          principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
          actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
          resources: ['*'],
          // Only for this account's alarms: the key also protects the queues, table and secrets.
          conditions: {
            StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
            ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
          },
        }),
      );
      this.alarmTopic = new sns.Topic(this, 'AlarmTopic', {
        displayName: 'Paubox alert relay alarms',
        masterKey: this.key,
        enforceSSL: true,
      });
      this.alarmTopic.addSubscription(new EmailSubscription(alarmsConfig.email));
      actions.push(new SnsAction(this.alarmTopic));
    }
    if (alarmsConfig.topicArn !== undefined) {
      actions.push(new SnsAction(sns.Topic.fromTopicArn(this, 'ConfiguredAlarmTopic', alarmsConfig.topicArn)));
    }
    if (actions.length > 0) for (const alarm of this.alarms) alarm.addAlarmAction(...actions);
    else for (const alarm of this.alarms) acknowledgeAlarm(alarm.node.defaultChild!);

    this.dashboard = this.buildDashboard(dashboardName, delayThreshold);
  }

  /** One dashboard: alarm states, then the webhook endpoint, then a row per destination. */
  private buildDashboard(dashboardName: string, delayThreshold: Duration): cloudwatch.Dashboard {
    const period = ALARM_PERIOD;
    const sum = (metric: cloudwatch.Metric, label: string) => metric.with({ statistic: cloudwatch.Stats.SUM, period, label });
    const dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      ...(Token.isUnresolved(dashboardName) ? {} : { dashboardName }),
      defaultInterval: Duration.days(1),
    });
    dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Paubox alert relay\nAlarms first; then the webhook endpoint; then one row per chat destination. ' +
          'Runbook: the README\'s "Operating the relay" (`npx paubox-relay --help`).',
        width: 24,
        height: 2,
      }),
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...this.alarms], width: 24, height: 4 }),
    );
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Webhooks accepted, by event type',
        left: EVENT_TYPES.map((type) =>
          relayMetric('EventsReceived', INGEST_SERVICE, { [EVENT_TYPE_DIMENSION]: type }, cloudwatch.Stats.SUM, type),
        ),
        stacked: true,
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Webhooks rejected, by reason',
        // A search, so that every reason the ingest reports shows up without listing them here.
        left: [
          new cloudwatch.MathExpression({
            expression:
              `SEARCH('{${METRIC_NAMESPACE},${REASON_DIMENSION},service} MetricName="WebhooksRejected" ` +
              `service="${INGEST_SERVICE}"', 'Sum', ${period.toSeconds()})`,
            label: '',
            period,
          }),
        ],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Webhook endpoint',
        left: [
          sum(this.api.metricCount(), 'requests'),
          sum(this.api.metricClientError(), '4xx'),
          sum(this.api.metricServerError(), '5xx'),
          sum(this.ingestFunction.metricErrors(), 'ingest errors'),
        ],
        right: [this.ingestFunction.metricDuration({ statistic: cloudwatch.Stats.p(99), period, label: 'ingest p99 ms' })],
        width: 6,
      }),
      new cloudwatch.GraphWidget({
        title: 'Fallback path',
        left: [
          relayMetric('FallbackUsed', INGEST_SERVICE, {}, cloudwatch.Stats.SUM, 'kept in fallback queue'),
          this.fallbackDeadLetterQueue.metricApproximateNumberOfMessagesVisible({
            statistic: cloudwatch.Stats.MAXIMUM,
            period,
            label: 'fallback dead letters',
          }),
        ],
        right: [
          this.fallbackQueue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period, label: 'oldest (s)' }),
        ],
        width: 6,
      }),
    );
    for (const [name, destination] of Object.entries(this.destinations)) {
      const dimensions = { [DESTINATION_DIMENSION]: name };
      const delay = (statistic: string) =>
        relayMetric(END_TO_END_DELAY_METRIC, NOTIFIER_SERVICE, dimensions, statistic, `${statistic} ms`);
      dashboard.addWidgets(
        new cloudwatch.GraphWidget({
          title: `${name}: alerts by outcome`,
          left: OUTCOME_METRICS.map((metric) => relayMetric(metric, NOTIFIER_SERVICE, dimensions, cloudwatch.Stats.SUM, metric)),
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: `${name}: end-to-end delay (Paubox event → chat)`,
          left: [delay(cloudwatch.Stats.p(50)), delay(cloudwatch.Stats.p(90)), delay(cloudwatch.Stats.MAXIMUM)],
          leftAnnotations: [{ value: delayThreshold.toMilliseconds(), label: 'alarm threshold', color: cloudwatch.Color.RED }],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: `${name}: retries and queues`,
          left: [
            relayMetric('Retries', NOTIFIER_SERVICE, dimensions, cloudwatch.Stats.SUM, 'retries'),
            relayMetric('RateLimited', NOTIFIER_SERVICE, dimensions, cloudwatch.Stats.SUM, '429s'),
            destination.queue.metricApproximateNumberOfMessagesVisible({ statistic: cloudwatch.Stats.MAXIMUM, period, label: 'queued' }),
            destination.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
              statistic: cloudwatch.Stats.MAXIMUM,
              period,
              label: 'dead letters',
            }),
          ],
          right: [
            destination.queue.metricApproximateAgeOfOldestMessage({ statistic: cloudwatch.Stats.MAXIMUM, period, label: 'oldest (s)' }),
          ],
          width: 6,
        }),
        new cloudwatch.GraphWidget({
          title: `${name}: notifier function`,
          left: [
            sum(destination.function.metricInvocations(), 'invocations'),
            sum(destination.function.metricErrors(), 'errors'),
            sum(destination.function.metricThrottles(), 'throttles'),
          ],
          right: [destination.function.metricDuration({ statistic: cloudwatch.Stats.p(99), period, label: 'p99 ms' })],
          width: 6,
        }),
      );
    }
    return dashboard;
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
