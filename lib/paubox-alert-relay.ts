import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { DEFAULT_HEALTH_CONFIG, type RelayConfig } from '../functions/config';
import { ChatDestination, type RelayDestination } from './relay/chat-destination';
import { RelayEncryption } from './relay/encryption';
import { EventTopic } from './relay/event-topic';
import { RelayFunctionFactory } from './relay/function-factory';
import { IngestEndpoint, type IngestAlarms } from './relay/ingest-endpoint';
import { RelayHealth } from './relay/health';
import { RelayProbe } from './relay/probe';
import { RelayMonitoring } from './relay/monitoring';
import { NotifierState } from './relay/notifier-state';
import { planDestinations } from './relay/plan';
import { addDeliverabilityRecord, type DeliverabilityRecord } from './relay/record';
import { resolveRelayProps, type PauboxAlertRelayProps } from './relay/props';
import { defaultRelayId, setRelayId } from './relay/metrics';
import { DeploySelfTest, recordSelfTests } from './relay/self-test';
import { TokenRotation } from './relay/token-rotation';
import { SlackInteractivity } from './relay/slack-interactivity';
import { ArchiveAudit } from './relay/archive-audit';
import { grantAdvice, grantRateCounting, grantSilenceAnnouncing } from './relay/sender-alerts';

/**
 * Receives Paubox webhooks on `POST /paubox/<token>` (a literal route per valid token, so a stranger gets API
 * Gateway's 404), publishes the (PHI-free) events to an encrypted SNS topic, and fans them out, filtered by the
 * configured routes, to one queue and notifier function per chat destination.
 * API Gateway writes each webhook to an encrypted ingest queue itself (no function per webhook); a consumer checks
 * and publishes them in batches. Notifiers de-duplicate deliveries in a table and dead-letter what they cannot
 * deliver; alarms (without actions) watch every queue.
 *
 * Each concern is a part in its own file under `relay/`. The parts create their resources in this construct's own
 * scope, under the construct ids they have always had: a scope of their own would change every logical id, and an
 * existing stack would replace its queues, table and secrets. Each chat destination has always had its own scope,
 * so it is a construct.
 */
export class PauboxAlertRelay extends Construct {
  /** The configuration deployed: `props.config` or the default. */
  public readonly config: RelayConfig;
  /** The `Relay` dimension of every metric and alarm of this relay: `relayId`, or the stack name and relay path. */
  public readonly relayId: string;
  /** The HTTP API Paubox posts to. */
  public readonly api: HttpApi;
  /** Carries every accepted event, with `event_type` and `sender_domain` message attributes for routing. */
  public readonly topic: sns.Topic;
  /** Customer-managed key encrypting the topic, the queues, the dead-letter queues and the de-duplication table. */
  public readonly key: kms.Key;
  /** Records the alerts each notifier has delivered, so a redelivered message is not posted twice; items expire. */
  public readonly dedupTable: dynamodb.Table;
  /** The first durable hop: each webhook, written by API Gateway, until the ingest consumer has published it. */
  public readonly ingestQueue: sqs.Queue;
  /** Webhooks the consumer quarantined (`reason` attribute) or failed to publish ten times. */
  public readonly ingestDeadLetterQueue: sqs.Queue;
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
  /** Holds the Paubox Email API key of delivery-status lookups; only with `paubox.enrich`. */
  public readonly pauboxApiKeySecret?: secretsmanager.Secret;
  /** Drains the ingest queue in batches: checks each webhook's token (and signature) and publishes it to the topic. */
  public readonly ingestFunction: NodejsFunction;
  /** Proves the accept path at each deploy that changes it (custom resource `SelfTest`); none with `selfTest: false`. */
  public readonly selfTestFunction?: NodejsFunction;
  /** The deployed chat destinations, by destination name. Console and unrouted destinations are not deployed. */
  public readonly destinations: Readonly<Record<string, RelayDestination>>;
  /** The webhook URL without its token: `https://…/paubox/`. */
  public readonly webhookBaseUrl: string;
  /** The alarms watching the webhook endpoint. */
  public readonly ingestAlarms: IngestAlarms;
  /** Every alarm of the relay (ingest, destinations), for adding actions in one loop. */
  public readonly alarms: readonly cloudwatch.Alarm[];
  /** Where every alarm acts; its subscriber turns alarm changes of state into relay health notices in chat. */
  public readonly healthTopic: sns.Topic;
  /** Queues a relay health notice on the destinations' queues for each alarm change of state; none without any. */
  public readonly healthFunction?: NodejsFunction;
  /** Verifies and acts on Slack's button clicks (`POST /slack/interactivity`); only with a destination in app mode. */
  public readonly interactivityFunction?: NodejsFunction;
  /** The Slack app's interactivity request URL, `https://…/slack/interactivity`; only with a destination in app mode. */
  public readonly slackInteractivityUrl?: string;
  /** Probes the destinations on a schedule, posts the Teams heartbeat, reminds of lasting alarms; none without any. */
  public readonly probeFunction?: NodejsFunction;
  /** The topic created for `alarms.email`, encrypted with the relay key; undefined without an e-mail address. */
  public readonly alarmTopic?: sns.Topic;
  /** Ingest, per-destination and end-to-end delay graphs, and the state of every alarm. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** The archive, reports and automation bus the configuration asks for (`archive`, `reports`, `automation`). */
  public readonly record: DeliverabilityRecord;

  constructor(scope: Construct, id: string, props: PauboxAlertRelayProps = {}) {
    super(scope, id);
    const settings = resolveRelayProps(this, props);
    // Before any part reads it: every metric, alarm and function of this relay carries it.
    this.relayId = settings.config.relayId ?? defaultRelayId(this);
    setRelayId(this, this.relayId);
    const plan = planDestinations(this, settings.config);
    const { ingestMemorySize, notifierMemorySize: memorySize } = settings;

    const encryption = new RelayEncryption(this);
    const { key } = encryption;
    const functions = new RelayFunctionFactory({
      relayId: this.relayId,
      runtime: settings.runtime,
      nodeMajor: settings.nodeMajor,
      logRetention: settings.logRetention,
      encryption,
    });
    const events = new EventTopic(this, key);
    const { paubox, display } = settings.config;
    const notifierState = new NotifierState(this, key, {
      ...(paubox ? { paubox } : {}),
      ...(display ? { display } : {}),
    });
    const ingest = new IngestEndpoint(this, {
      ingest: settings.ingest,
      encryption,
      events,
      functions,
      memorySize: ingestMemorySize,
      throttlingRateLimit: settings.throttlingRateLimit,
      throttlingBurstLimit: settings.throttlingBurstLimit,
      accessLogRetention: settings.accessLogRetention,
    });
    const { tokenSecret } = ingest;
    const rotation = new TokenRotation(this, {
      tokenSecret,
      key,
      ingest: settings.ingest,
      functions,
      memorySize,
      api: ingest.api,
      webhookIntegration: ingest.webhookIntegration,
      stageName: ingest.stageName,
      throttlingRateLimit: settings.throttlingRateLimit,
      throttlingBurstLimit: settings.throttlingBurstLimit,
    });
    const table = notifierState.dedupTable;
    recordSelfTests(ingest.ingestFunction, table, key);
    const selfTest =
      settings.config.selfTest === false
        ? undefined
        : new DeploySelfTest(this, {
            functions,
            memorySize,
            webhookBaseUrl: ingest.webhookBaseUrl,
            tokenSecret,
            table,
            key,
            // The webhook route of the current token is made by the token function's custom resource.
            acceptPath: [
              ingest.api,
              ingest.webhookIntegration,
              rotation.webhookRoutes,
              ingest.apiRole,
              ingest.queue,
              ingest.ingestFunction,
              ingest.ingestFunction.role!,
              tokenSecret,
              table,
            ],
          });
    const destinations = plan.map(
      (planned) =>
        new ChatDestination(this, `${planned.id}Destination`, {
          planned,
          key,
          events,
          notifierState,
          functions,
          memorySize,
          messageRetention: settings.messageRetention,
          maxReceiveCount: settings.maxReceiveCount,
          delayThreshold: settings.delayThreshold,
        }),
    );
    this.destinations = Object.fromEntries(destinations.map((destination) => [destination.config.name, destination]));
    grantRateCounting(ingest.ingestFunction, {
      config: settings.config,
      state: notifierState,
      key,
      queues: Object.fromEntries(destinations.map((d) => [d.config.name, d.queue])),
      notifiers: Object.fromEntries(destinations.map((d) => [d.config.name, d.function])),
    });
    this.record = addDeliverabilityRecord(this, {
      config: settings.config,
      events,
      encryption,
      fingerprintSecret: notifierState.fingerprintSecret,
      functions,
      memorySize,
      logRetention: settings.logRetention,
      queues: Object.fromEntries(destinations.map((d) => [d.config.name, d.queue])),
    });
    for (const d of destinations) grantAdvice(d.function, settings.config, this.record.automation?.bus);
    const apps = destinations.filter((d) => d.config.channel !== undefined);
    const { archive } = this.record; // What people do from Slack is kept beside the archived events.
    const { logRetention } = settings;
    const audit = apps.length && archive && new ArchiveAudit(archive, 'Audit', { archive, encryption, logRetention });
    const interactivity =
      apps.length === 0
        ? undefined
        : new SlackInteractivity(this, {
            api: ingest.api,
            destinations: apps,
            functions,
            memorySize,
            state: notifierState,
            key,
            ...(display ? { timeZone: display.timeZone } : {}),
            ...(audit ? { audit } : {}),
          });
    const alarms = [
      ingest.alarms.errors,
      ingest.alarms.serverErrors,
      ingest.alarms.throttled,
      ingest.alarms.stuck,
      ingest.alarms.deadLetters,
      ingest.alarms.strangers,
      ...destinations.flatMap(({ alarms }) => [alarms.deadLetters, alarms.broken, alarms.errors, alarms.delay]),
      ...this.record.alarms,
      ...(interactivity ? [interactivity.errorsAlarm] : []),
      ...(audit ? [audit.alarm] : []),
    ];
    const healthConfig = settings.config.health ?? DEFAULT_HEALTH_CONFIG;
    const health = new RelayHealth(this, {
      encryption,
      functions,
      destinations: this.destinations,
      health: healthConfig,
      memorySize,
    });
    // Nothing to probe, and no one to tell, without a chat destination.
    const probe =
      destinations.length === 0
        ? undefined
        : new RelayProbe(this, {
            encryption,
            functions,
            destinations: this.destinations,
            health: healthConfig,
            healthTopic: health.topic,
            memorySize,
          });
    if (probe) grantSilenceAnnouncing(probe.fn, notifierState);
    this.alarms = [...alarms, ...(probe?.alarms ?? [])];
    const monitoring = new RelayMonitoring(this, {
      alarmsConfig: settings.alarms,
      healthAction: health.action,
      encryption,
      alarms: this.alarms,
      api: ingest.api,
      ingestFunction: ingest.ingestFunction,
      ingestQueue: ingest.queue,
      ingestDeadLetterQueue: ingest.deadLetterQueue,
      requestsWithoutToken: ingest.strangers.metric,
      destinations: this.destinations,
      delayThreshold: settings.delayThreshold,
      dashboardName: settings.dashboardName,
      probeMetrics: probe?.metrics ?? [],
      slackMetrics: interactivity?.metrics ?? [],
    });

    this.config = settings.config;
    this.key = key;
    this.topic = events.topic;
    this.fingerprintSecret = notifierState.fingerprintSecret;
    this.pauboxApiKeySecret = notifierState.pauboxApiKeySecret;
    this.dedupTable = notifierState.dedupTable;
    this.ingestQueue = ingest.queue;
    this.ingestDeadLetterQueue = ingest.deadLetterQueue;
    this.api = ingest.api;
    this.webhookBaseUrl = ingest.webhookBaseUrl;
    this.ingestFunction = ingest.ingestFunction;
    this.selfTestFunction = selfTest?.fn;
    this.tokenSecret = tokenSecret;
    this.signingSecret = ingest.signingSecret;
    this.accessLogGroup = ingest.accessLogGroup;
    this.ingestAlarms = ingest.alarms;
    this.rotateTokenFunction = rotation.rotateTokenFunction;
    this.alarmTopic = monitoring.alarmTopic;
    this.healthTopic = health.topic;
    this.healthFunction = health.healthFunction;
    this.probeFunction = probe?.fn;
    this.interactivityFunction = interactivity?.fn;
    this.slackInteractivityUrl = interactivity?.url;
    this.dashboard = monitoring.dashboard;
  }
}
