import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsClientOnFirstUse, readSecretString, cachedValue, requireEnv } from '../aws';
import {
  sqsDeadLetterSink,
  dynamoDedupStore,
  dynamoPacer,
  realSleep,
  DEFAULT_RETRY_POLICY,
  notifyQueue,
  dynamoFailureCounter,
  DEFAULT_ENRICHMENT_TIMEOUT_MS,
} from '../delivery';
import { type AlertSender, type ChatKind, checkDestinationUrl, createSender, DEFAULT_SEND_TIMEOUT_MS } from '../chat';
import { DETAIL_LEVELS, type DetailLevel } from '../config';
import {
  DESTINATION_DIMENSION,
  METRIC_NAMESPACE,
  NOTIFIER_SERVICE,
  powertoolsLogger,
  flushMetrics,
  powertoolsMetric,
} from '../observability';
import { cachedLookup, fetchDeliveryStatus } from '../paubox';

/** Notifier Lambda: one per destination, fed by that destination's queue. */
const destination = requireEnv('DESTINATION_NAME');
const configuredKind = requireEnv('DESTINATION_KIND'); // slack | teams | auto
const detail = requireEnv('DESTINATION_DETAIL') as DetailLevel;
if (!DETAIL_LEVELS.includes(detail)) throw new Error(`DESTINATION_DETAIL must be one of ${DETAIL_LEVELS.join(', ')}`);
const urlSecretArn = requireEnv('DESTINATION_SECRET_ARN');
const fingerprintSecretArn = requireEnv('FINGERPRINT_SECRET_ARN');
const dedupTable = requireEnv('DEDUP_TABLE_NAME');
const deadLetterQueueUrl = requireEnv('DEAD_LETTER_QUEUE_URL');
const maxReceiveCount = Number(requireEnv('MAX_RECEIVE_COUNT'));
const secretMaxAgeMs = Number(process.env.SECRET_CACHE_SECONDS ?? '300') * 1000;
const sendTimeoutMs = Number(process.env.SEND_TIMEOUT_MS ?? DEFAULT_SEND_TIMEOUT_MS);
const minGroupSize = Number(requireEnv('DIGEST_MIN_GROUP_SIZE'));
if (!Number.isInteger(minGroupSize) || minGroupSize < 2)
  throw new Error('DIGEST_MIN_GROUP_SIZE must be a whole number of 2 or more');
/** Unset: the default of the platform the stored URL belongs to. */
const messagesPerSecond =
  process.env.RATE_LIMIT_PER_SECOND === undefined ? undefined : Number(process.env.RATE_LIMIT_PER_SECOND);
if (messagesPerSecond !== undefined && !(messagesPerSecond > 0))
  throw new Error('RATE_LIMIT_PER_SECOND must be a number above 0');
/** Stop starting sends this long before the Lambda timeout, so the batch response always gets out. */
const SAFETY_MARGIN_MS = 2_000;

const powertools = new PowertoolsLogger({ serviceName: NOTIFIER_SERVICE, persistentKeys: { destination } });
const logger = powertoolsLogger(powertools);
const metrics = new Metrics({
  namespace: METRIC_NAMESPACE,
  serviceName: NOTIFIER_SERVICE,
  defaultDimensions: { [DESTINATION_DIMENSION]: destination },
});
const metric = powertoolsMetric(metrics);
const secrets = new SecretsManagerClient({});
const dynamo = new DynamoDBClient({});
const dedup = dynamoDedupStore(dynamo, dedupTable);
// Send slots live in the same table, so that every invocation of this destination shares one rate limit.
const pacer = dynamoPacer(dynamo, dedupTable);
// Only used when an alert cannot be delivered: its client is not loaded before then.
const deadLetters = sqsDeadLetterSink(sqsClientOnFirstUse(), deadLetterQueueUrl);

// The URL is checked every time it is read: a secret changed to a non-chat host is refused, not posted to.
let current: { url: string; sender: AlertSender } | undefined;
const sender = cachedValue(async () => {
  const url = await readSecretString(secrets, urlSecretArn);
  if (current?.url === url) return current.sender;
  const kind = checkDestinationUrl(url, {
    kind: configuredKind === 'auto' ? undefined : (configuredKind as ChatKind),
    allowLoopbackHttp: false,
  });
  current = { url, sender: createSender(kind, url, { timeoutMs: sendTimeoutMs }) };
  return current.sender;
}, secretMaxAgeMs);
const fingerprintKey = cachedValue(() => readSecretString(secrets, fingerprintSecretArn), secretMaxAgeMs);
const timeZone = process.env.DISPLAY_TIME_ZONE;
// Failures per recipient fingerprint live in the same table; delivery statuses need the Paubox API key.
const failureCounter = dynamoFailureCounter(dynamo, dedupTable);
const pauboxApiBaseUrl = process.env.PAUBOX_API_BASE_URL;
const pauboxKeySecretArn = process.env.PAUBOX_API_KEY_SECRET_ARN;
const apiKey = pauboxKeySecretArn
  ? cachedValue(() => readSecretString(secrets, pauboxKeySecretArn), secretMaxAgeMs)
  : undefined;
const deliveryStatus =
  pauboxApiBaseUrl && apiKey
    ? cachedLookup((id) =>
        fetchDeliveryStatus({ baseUrl: pauboxApiBaseUrl, apiKey, timeoutMs: DEFAULT_ENRICHMENT_TIMEOUT_MS }, id),
      )
    : undefined;

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) powertools.addContext(context);
  const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 30_000) - SAFETY_MARGIN_MS;
  // Reports (deliverability cards) share the queue with alerts, and so its retries, pacing and de-duplication.
  const { failedIds } = await notifyQueue(
    event.Records.map((r) => ({
      id: r.messageId,
      body: r.body,
      receiveCount: Number(r.attributes?.ApproximateReceiveCount ?? '1'),
    })),
    {
      destination: { name: destination, detail, ...(timeZone ? { timeZone } : {}) },
      enrichment: { failureCounter, ...(deliveryStatus ? { deliveryStatus } : {}) },
      platform: { sender, fingerprintKey },
      stores: { dedup, deadLetters },
      delivery: {
        policy: DEFAULT_RETRY_POLICY,
        remainingMs: () => deadline - Date.now(),
        sendTimeoutMs,
        sleep: realSleep,
        random: Math.random,
        maxReceiveCount,
        // A claim outlives the longest an invocation can spend on one record.
        leaseMs: DEFAULT_RETRY_POLICY.maxAttempts * (sendTimeoutMs + DEFAULT_RETRY_POLICY.maxRetryAfterMs),
      },
      observability: { logger, metric },
      digest: { minGroupSize },
      pacing: { pacer, ...(messagesPerSecond !== undefined ? { messagesPerSecond } : {}) },
    },
  ).finally(() => flushMetrics(metrics));
  return { batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) };
};
