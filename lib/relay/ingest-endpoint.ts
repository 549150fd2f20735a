import { Duration } from 'aws-cdk-lib';
import { CfnStage, HttpApi, HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import type { IngestConfig } from '../../functions/config/relay-config';
import { METRIC_NAMESPACE } from '../../functions/observability/metric-names';
import { acknowledgeWebhookRoute } from '../nag-acknowledgments';
import { countAlarm } from './alarm-factory';
import type { RelayEncryption } from './encryption';
import type { EventTopic } from './event-topic';
import type { RelayFunctionFactory } from './function-factory';
import { ALARM_PERIOD } from './metrics';
import { grantSend } from './queue-factory';
import { relaySecret } from './secret-factory';

const INGEST_TIMEOUT = Duration.seconds(10);
/** How often ingest re-reads the token secret: a rotated token works within this time. */
const TOKEN_CACHE = Duration.seconds(60);
/** Counted from the API access log: webhooks the stage answered 429. */
const WEBHOOKS_THROTTLED_METRIC = 'WebhooksThrottled';
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

/** The alarms watching the webhook endpoint. Actions as for {@link DestinationAlarms}. */
export interface IngestAlarms {
  /** Fires when the ingest function fails. */
  readonly errors: cloudwatch.Alarm;
  /** Fires on any 5xx answer of the HTTP API: Paubox does not retry, so such an event may be lost. */
  readonly serverErrors: cloudwatch.Alarm;
  /** Fires when the stage throttled a webhook (429): Paubox does not retry, so it is lost. */
  readonly throttled: cloudwatch.Alarm;
}

export interface IngestEndpointProps {
  readonly ingest: IngestConfig;
  readonly encryption: RelayEncryption;
  readonly events: EventTopic;
  readonly functions: RelayFunctionFactory;
  /** Where ingest keeps an event it cannot publish. */
  readonly fallbackQueue: sqs.IQueue;
  readonly memorySize: number;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly accessLogRetention: logs.RetentionDays;
}

/**
 * Where Paubox posts: an HTTP API routing `POST /paubox/{token}` to the ingest function, which checks the token
 * (and the signature) and publishes the event. Created in the relay's own scope (`Api`, `IngestFunction`, …).
 */
export class IngestEndpoint {
  public readonly api: HttpApi;
  /** The webhook URL without its token: `https://…/paubox/`. */
  public readonly webhookBaseUrl: string;
  public readonly ingestFunction: NodejsFunction;
  /** Holds the token that ends the webhook URL (and, after a rotation, the previous token until its overlap ends). */
  public readonly tokenSecret: secretsmanager.Secret;
  /** Holds the Standard Webhooks `whsec_…` signing secret; only when `ingest.verifySignatures` is set. */
  public readonly signingSecret?: secretsmanager.Secret;
  /** Route template, status and latency of each request, never the request path (which holds the token). */
  public readonly accessLogGroup: logs.LogGroup;
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

    const { ingest } = props;
    this.ingestFunction = props.functions.create(scope, 'IngestFunction', {
      entry: 'ingest',
      description: 'Validates Paubox webhooks and publishes them to the relay topic',
      roleDescription: 'Ingest function of the Paubox alert relay',
      logName: 'ingest',
      memorySize: props.memorySize,
      timeout: INGEST_TIMEOUT,
      reservedConcurrentExecutions: ingest.reservedConcurrency,
      environment: { TOKEN_CACHE_SECONDS: String(TOKEN_CACHE.toSeconds()) },
      invocation: 'api',
      concurrencyBound:
        ingest.reservedConcurrency !== undefined
          ? undefined
          : `Bounded by the HTTP API stage throttle (${props.throttlingRateLimit} requests/s, burst ` +
            `${props.throttlingBurstLimit}) and a 10 s timeout. Reserved concurrency is opt-in ` +
            '(ingest.reservedConcurrency), because a fresh account (quota 10) cannot reserve any and its deploy ' +
            'would fail.',
    }).fn;
    props.events.grantPublish(this.ingestFunction);
    this.ingestFunction.addEnvironment('TOPIC_ARN', props.events.topic.topicArn);
    this.tokenSecret.grantRead(this.ingestFunction);
    this.ingestFunction.addEnvironment('TOKEN_SECRET_ARN', this.tokenSecret.secretArn);
    grantSend(props.fallbackQueue, this.ingestFunction, key);
    this.ingestFunction.addEnvironment('FALLBACK_QUEUE_URL', props.fallbackQueue.queueUrl);
    if (ingest.verifySignatures) this.signingSecret = this.createSigningSecret(scope, key);

    this.api = new HttpApi(scope, 'Api', { description: 'Receives Paubox email webhooks', createDefaultStage: true });
    // HttpApi has no typed throttle for its default stage; the L1 property is typed, so set it there.
    const defaultStage = this.api.defaultStage?.node.defaultChild;
    if (!(defaultStage instanceof CfnStage)) throw new Error('HttpApi did not create its default stage');
    defaultStage.defaultRouteSettings = {
      throttlingRateLimit: props.throttlingRateLimit,
      throttlingBurstLimit: props.throttlingBurstLimit,
    };
    this.accessLogGroup = props.encryption.logGroup(scope, 'ApiAccessLogs', 'api-access', props.accessLogRetention);
    defaultStage.accessLogSettings = { destinationArn: this.accessLogGroup.logGroupArn, format: ACCESS_LOG_FORMAT };
    const [route] = this.api.addRoutes({
      path: '/paubox/{token}',
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('IngestIntegration', this.ingestFunction),
    });
    acknowledgeWebhookRoute(route!.node.defaultChild!);
    this.webhookBaseUrl = `${this.api.apiEndpoint}/paubox/`;
    this.alarms = this.createAlarms(scope);
  }

  private createSigningSecret(scope: Construct, key: kms.IKey): secretsmanager.Secret {
    const secret = relaySecret(scope, 'SigningSecret', {
      description:
        'Standard Webhooks signing secret (whsec_…) of the Paubox webhook endpoint: replace this placeholder with ' +
        'the value Paubox shows. Until then ingest answers 503 rather than accept unsigned webhooks.',
      length: 32,
      key,
      notRotatedBecause:
        'Paubox issues the signing secret for the webhook endpoint; it changes when Paubox rotates it, by putting ' +
        'the new value here. No function of the relay can create one.',
    });
    secret.grantRead(this.ingestFunction);
    this.ingestFunction.addEnvironment('SIGNING_SECRET_ARN', secret.secretArn);
    return secret;
  }

  private createAlarms(scope: Construct): IngestAlarms {
    const sum = { statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD };
    return {
      errors: countAlarm(
        scope,
        'IngestErrorsAlarm',
        this.ingestFunction.metricErrors(sum),
        'The ingest function failed: Paubox does not retry, so the webhooks it was handling may be lost. ' +
          'See its log group.',
      ),
      serverErrors: countAlarm(
        scope,
        'Ingest5xxAlarm',
        this.api.metricServerError(sum),
        'The webhook endpoint answered 5xx: Paubox does not retry, so those events are lost. A 503 means neither ' +
          "the topic nor the fallback queue accepted the event; see the ingest function's log group.",
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
        }).metric(sum),
        'The webhook endpoint throttled webhooks (429): Paubox does not retry, so those events are lost. Raise the ' +
          "stage's throttlingRateLimit / throttlingBurstLimit (and the account's Lambda concurrency if needed).",
      ),
    };
  }
}
