import { Aws, Duration, Names, Token } from 'aws-cdk-lib';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import {
  DEFAULT_DEPLOY_CONFIG,
  DEFAULT_END_TO_END_DELAY_SECONDS,
  DEFAULT_INGEST_CONFIG,
  type AlarmsConfig,
  type IngestConfig,
  type RelayConfig,
} from '../../functions/config';
import { DELIVERY_TRIES } from '../../functions/delivery';
import { SQS_MAX_RETENTION } from './queue-factory';
import { checkAlarmTopicRegion } from './alarm-topic-region';

/** Properties of {@link PauboxAlertRelay}. */
export interface PauboxAlertRelayProps {
  /**
   * The relay configuration, already validated with `parseRelayConfig(raw, 'deploy')`.
   * @default DEFAULT_DEPLOY_CONFIG: one destination, "alerts", whose platform is detected from the URL put in its
   * secret, receiving both failure types
   */
  readonly config?: RelayConfig;
  /**
   * Memory of the ingest function, in MiB. Lambda's CPU, and so the cold start Paubox waits on, grows with it.
   * @default 512 (see {@link DEFAULT_INGEST_MEMORY_MB})
   */
  readonly ingestMemorySize?: number;
  /**
   * Memory of each notifier function (and of the drain and token rotation functions), in MiB.
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
   * Deliveries of one alert to a notifier before it moves to the destination's dead-letter queue. Each delivery is
   * one try, handed back with its backoff when it fails: the default rides out about 12 minutes of outage.
   * @default DELIVERY_TRIES (25)
   */
  readonly maxReceiveCount?: number;
  /**
   * Steady-state requests per second accepted by the HTTP API's default stage. A webhook over the limit gets 429
   * and is lost (Paubox does not retry; the `IngestThrottledAlarm` fires). Accepting is a queue write by API
   * Gateway itself (docs/ingest.md), so the limit is set by what a wrong-token flood may cost, not by Lambda.
   * @default 2,500
   */
  readonly throttlingRateLimit?: number;
  /**
   * Burst of requests accepted by the HTTP API's default stage: a bulk send's thousands of webhooks in seconds.
   * @default 5,000
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Name of the CloudWatch dashboard. Dashboard names are global to an account, not per region.
   * @default - the stem of the relay's log group and topic names (the stack's name and a hash of the relay's
   * path), then the region: unique per stack, per relay and per region
   */
  readonly dashboardName?: string;
  /**
   * Retention of the HTTP API's access log (route, status, latency, source IP; never the request path).
   * @default - the same as `logRetention`
   */
  readonly accessLogRetention?: logs.RetentionDays;
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
/**
 * The stage's default throttle (docs/ingest.md): a burst of 5,000 webhooks at once, then 2,500 a second, a quarter
 * of API Gateway's 10,000/s account quota, which other APIs of the account share.
 */
export const DEFAULT_THROTTLING_RATE_LIMIT = 2500;
export const DEFAULT_THROTTLING_BURST_LIMIT = 5000;
const MIN_NODE_MAJOR = 22;

/** The props with every default applied and every value checked. */
export interface RelaySettings {
  readonly config: RelayConfig;
  readonly ingest: IngestConfig;
  readonly alarms: AlarmsConfig;
  readonly runtime: lambda.Runtime;
  /** The runtime's Node.js major version: the target the functions are bundled for. */
  readonly nodeMajor: number;
  readonly ingestMemorySize: number;
  readonly notifierMemorySize: number;
  readonly logRetention: logs.RetentionDays;
  readonly accessLogRetention: logs.RetentionDays;
  readonly messageRetention: Duration;
  readonly maxReceiveCount: number;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  /** The end-to-end delay alarm's threshold. */
  readonly delayThreshold: Duration;
  readonly dashboardName: string;
}

/**
 * Applies the defaults of the relay `scope` once and checks every value.
 * @throws Error saying which prop is wrong and what to give instead
 */
export function resolveRelayProps(scope: Construct, props: PauboxAlertRelayProps): RelaySettings {
  const config = props.config ?? DEFAULT_DEPLOY_CONFIG;
  const runtime = props.runtime ?? lambda.Runtime.NODEJS_22_X;
  const nodeMajor = nodeMajorOf(runtime);
  const ingestMemorySize = checkInteger(
    'ingestMemorySize',
    props.ingestMemorySize ?? DEFAULT_INGEST_MEMORY_MB,
    128,
    10240,
  );
  const notifierMemorySize = checkInteger(
    'notifierMemorySize',
    props.notifierMemorySize ?? DEFAULT_NOTIFIER_MEMORY_MB,
    128,
    10240,
  );
  const logRetention = props.logRetention ?? logs.RetentionDays.ONE_MONTH;
  const alarms = config.alarms ?? {};
  checkAlarmTopicRegion(scope, alarms.topicArn);
  return {
    config,
    ingest: config.ingest ?? DEFAULT_INGEST_CONFIG,
    alarms,
    runtime,
    nodeMajor,
    ingestMemorySize,
    notifierMemorySize,
    logRetention,
    accessLogRetention: props.accessLogRetention ?? logRetention,
    messageRetention: checkRetention('messageRetention', props.messageRetention ?? Duration.days(4)),
    maxReceiveCount: checkInteger('maxReceiveCount', props.maxReceiveCount ?? DELIVERY_TRIES, 1, 1000),
    throttlingRateLimit: checkPositive(
      'throttlingRateLimit',
      props.throttlingRateLimit ?? DEFAULT_THROTTLING_RATE_LIMIT,
    ),
    throttlingBurstLimit: checkInteger(
      'throttlingBurstLimit',
      props.throttlingBurstLimit ?? DEFAULT_THROTTLING_BURST_LIMIT,
      0,
      5000,
    ),
    delayThreshold: Duration.seconds(alarms.endToEndDelaySeconds ?? DEFAULT_END_TO_END_DELAY_SECONDS),
    // Dashboard names are global to an account: the region keeps apart two regions' stacks of one name.
    dashboardName:
      props.dashboardName ?? `${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}-${Aws.REGION}`,
  };
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
  if (!value.isUnresolved() && (value.toSeconds() < 60 || value.toSeconds() > SQS_MAX_RETENTION.toSeconds())) {
    throw new Error(`${prop} must be from 1 minute to 14 days (the SQS limits), got ${value.toHumanString()}`);
  }
  return value;
}
