import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FirehoseClient } from '@aws-sdk/client-firehose';
import { type AuditRecord, firehoseAuditLog } from '../archive';
import { cachedValue, firehoseSdk, INTERACTIVITY_ENV, readEnv, readSecretString, RELAY_ENV } from '../aws';
import {
  deployedAppDestinations,
  dynamoReplayStore,
  handleInteractivity,
  type InteractivityOutcome,
  settleWithin,
} from '../interactivity';
import {
  AUDIT_FAILED_METRIC,
  flushMetrics,
  INTERACTIVITY_SERVICE,
  jsonLogger,
  powertoolsMetric,
  relayMetrics,
  SLACK_REQUESTS_METRIC,
} from '../observability';
import { dynamoRateStore, dynamoSilenceStore } from '../sending';

/**
 * `POST /slack/interactivity`: Slack's button clicks on app-mode alerts. Verified first (signature of one of the
 * destinations' signing secrets, timestamp, replay), then acted on within Slack's 3 s: every call it makes has a
 * short timeout, and the answer waits for the action at most {@link ACTION_BUDGET_MS}.
 */
const env = readEnv(INTERACTIVITY_ENV);
const logger = jsonLogger(INTERACTIVITY_SERVICE);
const metrics = relayMetrics(INTERACTIVITY_SERVICE, readEnv(RELAY_ENV).relayId);
const metric = powertoolsMetric(metrics);
/** Slack shows the person an error when the answer takes 3 s; cold start and the network take their share. */
const ACTION_BUDGET_MS = 2_000;
const SLACK_CALL_TIMEOUT_MS = 1_500;
// Short timeouts and one retry: a table or stream call that hangs must not hold the answer past Slack's 3 s.
const SHORT_CALLS = { maxAttempts: 2, requestHandler: { requestTimeout: 600, connectionTimeout: 300 } };
const dynamo = new DynamoDBClient(SHORT_CALLS);
const secrets = new SecretsManagerClient({});
const maxAgeMs = (env.secretCacheSeconds ?? 300) * 1000;
const targets = Object.entries(env.destinations).map(([name, target]) => ({
  name,
  channel: target.channel,
  secret: cachedValue(() => readSecretString(secrets, target.secretArn), maxAgeMs),
}));

let firehose: FirehoseClient | undefined;
/** With an archive, each record also goes to its audit stream; the client is made on the first click, not at start. */
const archiveAudit =
  env.auditStream === undefined
    ? undefined
    : firehoseAuditLog({
        streamName: env.auditStream,
        client: () => (firehose ??= new (firehoseSdk().FirehoseClient)(SHORT_CALLS)),
        logger,
        countFailure: () => metric(AUDIT_FAILED_METRIC, 1),
      });

/** The deployed audit line: in this function's log group (encrypted, kept as the other logs), no PHI. */
async function audit(record: AuditRecord): Promise<void> {
  logger.log('info', 'chat action', {
    destination: record.destination,
    reason: record.action,
    slackUser: record.by,
    ...(record.message_key !== undefined ? { eventKey: record.message_key } : {}),
    ...(record.sender_domain !== undefined ? { senderDomain: record.sender_domain } : {}),
    ...(record.fingerprint !== undefined ? { fingerprint: record.fingerprint } : {}),
    ...(record.silence_id !== undefined ? { silenceId: record.silence_id } : {}),
    ...(record.until !== undefined ? { until: record.until } : {}),
    count: record.changed ? 1 : 0,
  });
  await archiveAudit?.(record);
}

const deps = {
  destinations: () =>
    deployedAppDestinations(targets, {
      ...(env.slackApiBaseUrl !== undefined ? { apiBaseUrl: env.slackApiBaseUrl } : {}),
      timeoutMs: SLACK_CALL_TIMEOUT_MS,
      logger,
    }),
  replays: dynamoReplayStore(dynamo, env.table),
  silences: dynamoSilenceStore(dynamo, env.table),
  rates: dynamoRateStore(dynamo, env.table),
  audit,
  now: Date.now,
  ...(env.timeZone !== undefined ? { timeZone: env.timeZone } : {}),
  logger,
  count: (outcome: InteractivityOutcome) => metric(SLACK_REQUESTS_METRIC, 1, { Reason: outcome }),
};

export const handler = async (
  event: APIGatewayProxyEventV2,
  context?: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  logger.addContext(context);
  const started = Date.now();
  try {
    const body = Buffer.from(event.body ?? '', event.isBase64Encoded ? 'base64' : 'utf8');
    const answer = await handleInteractivity({ headers: event.headers ?? {}, body }, deps);
    if (answer.work && !(await settleWithin(answer.work(), ACTION_BUDGET_MS - (Date.now() - started)))) {
      logger.log('warn', 'a Slack action was still running when Slack had to be answered', {
        durationMs: Date.now() - started,
      });
    }
    return { statusCode: answer.statusCode, headers: { 'content-type': 'text/plain' }, body: answer.body };
  } finally {
    flushMetrics(metrics);
  }
};
