import { Duration } from 'aws-cdk-lib';
import { CfnIntegration, CfnStage, HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { INGEST_MAX_CONCURRENCY, type IngestConfig } from '../../functions/config';
import { messageAttributesTemplate } from '../../functions/ingest';
import { METRIC_NAMESPACE, RELAY_DIMENSION } from '../../functions/observability';
import { acknowledgeApiRole } from '../nag-acknowledgments';
import { countAlarm, deadLettersAlarm, relayAlarm } from './alarm-factory';
import type { RelayEncryption } from './encryption';
import type { EventTopic } from './event-topic';
import { QUEUE_CONCURRENCY_BOUND, type RelayFunctionFactory } from './function-factory';
import { ALARM_PERIOD, relayIdOf } from './metrics';
import { queueWithDeadLetters, SQS_MAX_RETENTION } from './queue-factory';
import { relaySecret } from './secret-factory';
import { StrangerRequests } from './stranger-requests';
import { accessLogFormat } from './access-log';
import { INGEST_ENV } from '../../functions/aws';
import { addEnvironment, environmentOf } from './function-env';

const CONSUMER_TIMEOUT = Duration.seconds(30);
/** How often the consumer re-reads the token secret: a rotated token works within this time. */
const TOKEN_CACHE = Duration.seconds(60);
/** Receives of a webhook the consumer keeps failing on (topic or secret unavailable) before it is dead-lettered. */
const INGEST_MAX_RECEIVE_COUNT = 10;
/**
 * The consumer's batches (docs/ingest.md): up to 100 webhooks gathered for at most a second, two batches at a
 * time. A burst of 2,000 webhooks is 20 invocations; the queue absorbs what the consumer has not read yet.
 */
export const INGEST_BATCH_SIZE = 100;
export const INGEST_BATCHING_WINDOW = Duration.seconds(1);
/** A webhook older than this in the ingest queue means the consumer is not keeping up or keeps failing. */
const INGEST_STUCK_AGE = Duration.minutes(5);
/** Counted from the API access log: webhooks the stage answered 429. */
const WEBHOOKS_THROTTLED_METRIC = 'WebhooksThrottled';
/** The alarms watching the webhook endpoint. Actions as for {@link DestinationAlarms}. */
export interface IngestAlarms {
  /** Fires when the ingest consumer fails. */
  readonly errors: cloudwatch.Alarm;
  /** Fires on any 5xx answer of the HTTP API: the queue refused the webhook, and Paubox does not retry. */
  readonly serverErrors: cloudwatch.Alarm;
  /** Fires when the stage throttled a webhook (429): Paubox does not retry, so it is lost. */
  readonly throttled: cloudwatch.Alarm;
  /** Fires when a webhook has waited 5 minutes in the ingest queue: the consumer is failing or not running. */
  readonly stuck: cloudwatch.Alarm;
  /** Fires on the first webhook in the ingest dead-letter queue: quarantined, or failed too often. */
  readonly deadLetters: cloudwatch.Alarm;
  /** Fires on a sustained flood of requests without a valid token, which API Gateway refused itself. */
  readonly strangers: cloudwatch.Alarm;
}

export interface IngestEndpointProps {
  readonly ingest: IngestConfig;
  readonly encryption: RelayEncryption;
  readonly events: EventTopic;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly accessLogRetention: logs.RetentionDays;
}

/**
 * Where Paubox posts: an HTTP API whose webhook routes, one literal `POST /paubox/<token>` per valid token, share
 * an `SQS-SendMessage` service integration. The routes are made by the token function (`TokenRotation`), never in
 * the template: a path without a valid token matches no route and API Gateway answers 404 itself. API Gateway
 * writes each webhook (raw body, path, signature headers, receive time) to the encrypted ingest queue: accepting
 * a webhook never waits for a function. The consumer drains the queue in batches: it checks the token again (and
 * the signature), publishes to the topic, and quarantines what it cannot read in the dead-letter queue.
 * Created in the relay's own scope (`Api`, `IngestQueue`, `IngestFunction`, …).
 */
export class IngestEndpoint {
  public readonly api: HttpApi;
  /** The webhook URL without its token: `https://…/paubox/`. */
  public readonly webhookBaseUrl: string;
  /** The first durable hop: every webhook API Gateway accepted, until the consumer has published it. */
  public readonly queue: sqs.Queue;
  /** Webhooks quarantined by the consumer (with a `reason` attribute) or failed too often. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The role API Gateway sends to the ingest queue with: `sqs:SendMessage` on it, and the key to encrypt. */
  public readonly apiRole: iam.Role;
  /** Drains the ingest queue: checks, publishes, quarantines. */
  public readonly ingestFunction: NodejsFunction;
  /** Holds the token that ends the webhook URL (and, after a rotation, the previous token until its overlap ends). */
  public readonly tokenSecret: secretsmanager.Secret;
  /** Holds the Standard Webhooks `whsec_…` signing secret; only when `ingest.verifySignatures` is set. */
  public readonly signingSecret?: secretsmanager.Secret;
  /** The integration every webhook route targets. */
  public readonly webhookIntegration: CfnIntegration;
  /** The stage the webhook routes are served and throttled on. */
  public readonly stageName: string;
  /** Status and latency of each request, never the request path or route key (which hold the token). */
  public readonly accessLogGroup: logs.LogGroup;
  /** Requests API Gateway refused for want of a valid token, counted from the access log. */
  public readonly strangers: StrangerRequests;
  public readonly alarms: IngestAlarms;

  constructor(scope: Construct, props: IngestEndpointProps) {
    const key = props.encryption.key;
    this.tokenSecret = relaySecret(scope, 'TokenSecret', {
      description:
        'Token ending the Paubox webhook URL (…/paubox/<token>); rotate with aws secretsmanager rotate-secret, ' +
        'the previous token keeps working for the configured overlap',
      // About 285 bits. Rotations write JSON (functions/ingest/token-secret.ts).
      length: 48,
      key,
    });
    const queues = queueWithDeadLetters(scope, 'Ingest', {
      key,
      // The SQS maximum: a webhook in this queue exists nowhere else (Paubox never sends it again).
      retentionPeriod: SQS_MAX_RETENTION,
      // AWS's advice for an event source: six times the function timeout, plus the batching window.
      visibilityTimeout: Duration.seconds(CONSUMER_TIMEOUT.toSeconds() * 6 + INGEST_BATCHING_WINDOW.toSeconds()),
      maxReceiveCount: INGEST_MAX_RECEIVE_COUNT,
    });
    this.queue = queues.queue;
    this.deadLetterQueue = queues.deadLetterQueue;
    this.ingestFunction = this.createConsumer(scope, props);
    if (props.ingest.verifySignatures) this.signingSecret = this.createSigningSecret(scope, key, this.ingestFunction);
    this.apiRole = this.createApiRole(scope, key);

    this.api = new HttpApi(scope, 'Api', { description: 'Receives Paubox email webhooks', createDefaultStage: true });
    // HttpApi has no typed throttle for its default stage; the L1 property is typed, so set it there.
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    if (!(defaultStage instanceof CfnStage)) throw new Error('HttpApi did not create its default stage');
    defaultStage.defaultRouteSettings = {
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
    };
    this.accessLogGroup = props.encryption.logGroup(scope, 'ApiAccessLogs', 'api-access', props.accessLogRetention);
    defaultStage.accessLogSettings = {
      destinationArn: this.accessLogGroup.logGroupArn,
      format: accessLogFormat(relayIdOf(scope)),
    };
    const integration = new CfnIntegration(scope, 'WebhookQueueIntegration', {
      apiId: this.api.apiId,
      description: 'Writes each webhook to the encrypted ingest queue; every webhook route targets it',
      integrationType: 'AWS_PROXY',
      integrationSubtype: 'SQS-SendMessage',
      payloadFormatVersion: '1.0',
      credentialsArn: this.apiRole.roleArn,
      requestParameters: {
        QueueUrl: this.queue.queueUrl,
        MessageBody: '$request.body',
        MessageAttributes: messageAttributesTemplate({ verifySignatures: props.ingest.verifySignatures }),
      },
      // SQS answers 200 with its own small JSON (MessageId, MD5OfMessageBody); Paubox is told 202 Accepted.
      responseParameters: { '200': { ResponseParameters: [{ Destination: 'overwrite:statuscode', Source: '202' }] } },
    });
    this.webhookIntegration = integration;
    this.stageName = defaultStage.stageName;
    this.webhookBaseUrl = `${this.api.apiEndpoint}/paubox/`;
    this.strangers = new StrangerRequests(scope, this.accessLogGroup);
    this.alarms = { ...this.createAlarms(scope), strangers: this.strangers.alarm };
  }

  private createConsumer(scope: Construct, props: IngestEndpointProps): NodejsFunction {
    const fn = props.functions.create(scope, 'IngestFunction', {
      entry: 'ingest',
      description: 'Checks the Paubox webhooks API Gateway queued and publishes them to the relay topic',
      roleDescription: 'Ingest consumer of the Paubox alert relay',
      logName: 'ingest',
      memorySize: props.memorySize,
      timeout: CONSUMER_TIMEOUT,
      environment: environmentOf(scope, INGEST_ENV, { tokenCacheSeconds: TOKEN_CACHE.toSeconds() }),
      reservedConcurrentExecutions: props.ingest.reservedConcurrency,
      invocation: 'queue',
      concurrencyBound: props.ingest.reservedConcurrency !== undefined ? undefined : QUEUE_CONCURRENCY_BOUND,
    }).fn;
    props.events.grantPublish(fn);
    addEnvironment(fn, INGEST_ENV, { topicArn: props.events.topic.topicArn });
    this.tokenSecret.grantRead(fn);
    addEnvironment(fn, INGEST_ENV, { tokenSecretArn: this.tokenSecret.secretArn });
    // Quarantine: for now the dead-letter queue, with the reason as a message attribute.
    this.deadLetterQueue.grant(fn, 'sqs:SendMessage');
    addEnvironment(fn, INGEST_ENV, { quarantineQueueUrl: this.deadLetterQueue.queueUrl });
    // The event source's receive and delete need the key too.
    props.encryption.key.grant(fn, 'kms:Decrypt', 'kms:GenerateDataKey');
    fn.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: INGEST_BATCH_SIZE,
        maxBatchingWindow: INGEST_BATCHING_WINDOW,
        reportBatchItemFailures: true,
        maxConcurrency: INGEST_MAX_CONCURRENCY,
      }),
    );
    return fn;
  }

  /** May only send to the ingest queue, and use the key for that. */
  private createApiRole(scope: Construct, key: kms.IKey): iam.Role {
    const role = new iam.Role(scope, 'ApiQueueRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      description: 'Lets the Paubox alert relay HTTP API write webhooks to its ingest queue',
    });
    role.addToPolicy(new iam.PolicyStatement({ actions: ['sqs:SendMessage'], resources: [this.queue.queueArn] }));
    role.addToPolicy(
      new iam.PolicyStatement({ actions: ['kms:GenerateDataKey', 'kms:Decrypt'], resources: [key.keyArn] }),
    );
    acknowledgeApiRole(role);
    return role;
  }

  private createSigningSecret(scope: Construct, key: kms.IKey, consumer: NodejsFunction): secretsmanager.Secret {
    const secret = relaySecret(scope, 'SigningSecret', {
      description:
        'Standard Webhooks signing secret (whsec_…) of the Paubox webhook endpoint: replace this placeholder with ' +
        'the value Paubox shows. Until then the ingest consumer keeps webhooks queued rather than accept them unsigned.',
      length: 32,
      key,
      notRotatedBecause:
        'Paubox issues the signing secret for the webhook endpoint; it changes when Paubox rotates it, by putting ' +
        'the new value here. No function of the relay can create one.',
    });
    secret.grantRead(consumer);
    addEnvironment(consumer, INGEST_ENV, { signingSecretArn: secret.secretArn });
    return secret;
  }

  private createAlarms(scope: Construct): Omit<IngestAlarms, 'strangers'> {
    const sum = { statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD };
    return {
      errors: countAlarm(
        scope,
        'IngestErrorsAlarm',
        this.ingestFunction.metricErrors(sum),
        'The ingest consumer failed: the webhooks of its batch stay in the ingest queue and are retried. See its ' +
          'log group.',
      ),
      serverErrors: countAlarm(
        scope,
        'Ingest5xxAlarm',
        this.api.metricServerError(sum),
        'The webhook endpoint answered 5xx: the ingest queue (or its KMS key) refused the webhook, and Paubox does ' +
          'not retry, so those events are lost. Check the queue and the key policy.',
      ),
      throttled: countAlarm(
        scope,
        'IngestThrottledAlarm',
        // HTTP APIs publish no 429 count of their own: the access log's status is counted instead.
        new logs.MetricFilter(scope, 'ThrottledWebhooksFilter', {
          logGroup: this.accessLogGroup,
          metricNamespace: METRIC_NAMESPACE,
          metricName: WEBHOOKS_THROTTLED_METRIC,
          filterPattern: logs.FilterPattern.stringValue('$.status', '=', '429'),
          metricValue: '1',
          dimensions: { [RELAY_DIMENSION]: '$.relay' },
        }).metric({ ...sum, dimensionsMap: { [RELAY_DIMENSION]: relayIdOf(scope) } }),
        'The webhook endpoint throttled webhooks (429): Paubox does not retry, so those events are lost. Raise the ' +
          "stage's throttlingRateLimit / throttlingBurstLimit (API Gateway's account quota is 10,000 requests/s).",
      ),
      stuck: relayAlarm(scope, 'IngestStuckAlarm', {
        description:
          `Paubox webhooks have waited over ${INGEST_STUCK_AGE.toHumanString()} in the ingest queue: the ingest ` +
          'consumer keeps failing (see its log group: the topic, the token secret or the key). They are kept for 14 ' +
          'days and published once it works again.',
        metric: this.queue.metricApproximateAgeOfOldestMessage({
          statistic: cloudwatch.Stats.MAXIMUM,
          period: Duration.minutes(1),
        }),
        threshold: INGEST_STUCK_AGE.toSeconds(),
      }),
      deadLetters: deadLettersAlarm(
        scope,
        'IngestDeadLettersAlarm',
        this.deadLetterQueue,
        'Webhooks are in the ingest dead-letter queue: quarantined by the consumer, having passed the token and ' +
          'signature (their `reason` attribute says why: invalid_payload, malformed_json, payload_too_large, …), or ' +
          `failed ${INGEST_MAX_RECEIVE_COUNT} times. ` +
          'Fix the cause, then move them back with ' +
          `\`aws sqs start-message-move-task --source-arn ${this.deadLetterQueue.queueArn}\`.`,
      ),
    };
  }
}
