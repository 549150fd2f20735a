import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsClientOnFirstUse } from '../aws/lazy-sdk';
import { readSecretString } from '../aws/read-secret';
import { sqsDeadLetterSink } from '../delivery/dead-letters/sqs-sink';
import { dynamoDedupStore } from '../delivery/dedup/dynamodb-store';
import { dynamoPacer } from '../delivery/pacing/dynamodb-pacer';
import { realSleep } from '../delivery/clock';
import { BrokenDestination } from '../delivery/broken-destination';
import { delayRetries } from '../delivery/retry-visibility';
import { DEFAULT_RETRY_POLICY } from '../delivery/retry';
import { checkDestinationUrl } from '../chat/destination-url';
import type { ChatKind } from '../config/destination-kinds';
import { DETAIL_LEVELS, type DetailLevel } from '../config/detail-levels';
import { DESTINATION_DIMENSION, METRIC_NAMESPACE, NOTIFIER_SERVICE } from '../observability/metric-names';
import { notifyQueue } from '../delivery/notify-report';
import { powertoolsLogger } from '../observability/powertools-logger';
import { flushMetrics, powertoolsMetric } from '../observability/powertools-metrics';
import { cachedValue } from '../aws/cached-value';
import { requireEnv } from '../aws/require-env';
import { DEFAULT_SEND_TIMEOUT_MS, type AlertSender } from '../chat/alert-sender';
import { createSender } from '../chat/platforms';
import { dynamoFailureCounter } from '../delivery/failure-counts/dynamodb-counter';
import { DEFAULT_ENRICHMENT_TIMEOUT_MS } from '../delivery/notify/enrich';
import { cachedLookup, fetchDeliveryStatus } from '../paubox/message-receipt';

/** Notifier Lambda: one per destination, fed by that destination's queue. */
const destination = requireEnv('DESTINATION_NAME');
const configuredKind = requireEnv('DESTINATION_KIND'); // slack | teams | auto
const detail = requireEnv('DESTINATION_DETAIL') as DetailLevel;
if (!DETAIL_LEVELS.includes(detail)) throw new Error(`DESTINATION_DETAIL must be one of ${DETAIL_LEVELS.join(', ')}`);
const urlSecretArn = requireEnv('DESTINATION_SECRET_ARN');
const fingerprintSecretArn = requireEnv('FINGERPRINT_SECRET_ARN');
const dedupTable = requireEnv('DEDUP_TABLE_NAME');
const deadLetterQueueUrl = requireEnv('DEAD_LETTER_QUEUE_URL');
const queueUrl = requireEnv('QUEUE_URL');
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
/**
 * A destination known broken is tried again after this long; the scheduled probe's alarm tells the operator sooner.
 * The instance holding the state lives minutes, so this bounds how long it lasts at most.
 */
const BROKEN_RETRY_MS = 5 * 60_000;
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
// Only used when an alert is not delivered (dead letters, retry delays): its client is not loaded before then.
const sqs = sqsClientOnFirstUse();
const deadLetters = sqsDeadLetterSink(sqs, deadLetterQueueUrl);
// Kept across the invocations of this instance: a destination answering "revoked" is recognised after a few alerts.
const broken = new BrokenDestination(BROKEN_RETRY_MS);

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
  const { failedIds, outcomes } = await notifyQueue(
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
        broken,
        // A claim outlives the invocation that holds it: one try of each record, within the function's timeout.
        leaseMs: deadline + SAFETY_MARGIN_MS - Date.now(),
      },
      observability: { logger, metric },
      digest: { minGroupSize },
      pacing: { pacer, ...(messagesPerSecond !== undefined ? { messagesPerSecond } : {}) },
    },
  ).finally(() => flushMetrics(metrics));
  // A failed try steps aside for its backoff only, not the queue's visibility timeout.
  const receipts = new Map(event.Records.map((r) => [r.messageId, r.receiptHandle]));
  await delayRetries(sqs, queueUrl, receipts, outcomes, logger);
  return { batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) };
};
