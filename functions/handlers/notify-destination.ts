import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { sqsClientOnFirstUse } from '../aws';
import { readSecretString } from '../aws';
import { sqsDeadLetterSink } from '../delivery';
import { dynamoDedupStore } from '../delivery';
import { dynamoPacer } from '../delivery';
import { checkDestinationUrl } from '../chat';
import { DESTINATION_DIMENSION, NOTIFIER_SERVICE } from '../observability';
import { notifyBatch } from '../delivery';
import { buildNotifyDeps } from '../delivery';
import { powertoolsLogger } from '../observability';
import { flushMetrics, powertoolsMetric, relayMetrics } from '../observability';
import { cachedValue } from '../aws';
import { readEnv } from '../aws';
import { NOTIFIER_ENV, RELAY_ENV } from '../aws';
import { DEFAULT_SEND_TIMEOUT_MS, type AlertSender, slackAppCredentials, slackAppSender } from '../chat';
import { dynamoThreadStore } from '../delivery';
import type { RelayEvent } from '../paubox';
import { matchesFilterPolicy, routingAttributes } from '../routing';
import { createSender } from '../chat';
import { dynamoFailureCounter } from '../delivery';
import { DEFAULT_ENRICHMENT_TIMEOUT_MS } from '../delivery';
import { cachedLookup, fetchDeliveryStatus } from '../paubox';
import { eventBridgeSdk } from '../aws';
import {
  adviceEntry,
  dynamoAdviceRecorder,
  dynamoAppliedSilences,
  dynamoRateAlertOf,
  SILENCE_CACHE_MS,
  windowDaysOf,
} from '../sending';
import type { EventBridgeClient } from '@aws-sdk/client-eventbridge';

/** Notifier Lambda: one per destination, fed by that destination's queue. */
const env = readEnv(NOTIFIER_ENV);
const { destination, detail, timeZone, minGroupSize, messagesPerSecond, maxReceiveCount } = env;
const secretMaxAgeMs = (env.secretCacheSeconds ?? 300) * 1000;
const sendTimeoutMs = env.sendTimeoutMs ?? DEFAULT_SEND_TIMEOUT_MS;
/** Stop starting sends this long before the Lambda timeout, so the batch response always gets out. */
const SAFETY_MARGIN_MS = 2_000;

const powertools = new PowertoolsLogger({ serviceName: NOTIFIER_SERVICE, persistentKeys: { destination } });
const logger = powertoolsLogger(powertools);
const metrics = relayMetrics(NOTIFIER_SERVICE, readEnv(RELAY_ENV).relayId, { [DESTINATION_DIMENSION]: destination });
const metric = powertoolsMetric(metrics);
const secrets = new SecretsManagerClient({});
const dynamo = new DynamoDBClient({});
const dedup = dynamoDedupStore(dynamo, env.dedupTable);
// Send slots live in the same table, so that every invocation of this destination shares one rate limit.
const pacer = dynamoPacer(dynamo, env.dedupTable);
// Only used when an alert cannot be delivered: its client is not loaded before then.
const deadLetters = sqsDeadLetterSink(sqsClientOnFirstUse(), env.deadLetterQueueUrl);

const readSecret = cachedValue(() => readSecretString(secrets, env.urlSecretArn), secretMaxAgeMs);
// Slack app mode: the bot token of the secret posts to the channel; threads live in the relay table.
const { channel, routedPolicy } = env;
const threads = channel !== undefined ? dynamoThreadStore(dynamo, env.dedupTable) : undefined;
const credentials = async () =>
  slackAppCredentials({ name: destination, channel: channel! }, { secret: await readSecret() });
const appSender = threads && slackAppSender({ destination, credentials, threads, timeoutMs: sendTimeoutMs });
// Events the routes do not ask for (the subscription's follow-ups) are posted only into an existing thread.
const followUps =
  threads && routedPolicy
    ? { routed: (e: RelayEvent) => matchesFilterPolicy(routedPolicy, routingAttributes(e)), threads }
    : undefined;

// The URL is checked every time it is read: a secret changed to a non-chat host is refused, not posted to.
let current: { url: string; sender: AlertSender } | undefined;
const webhookSender = async (): Promise<AlertSender> => {
  const url = await readSecret();
  if (current?.url === url) return current.sender;
  const kind = checkDestinationUrl(url, {
    kind: env.kind === 'auto' ? undefined : env.kind,
    allowLoopbackHttp: false,
  });
  current = { url, sender: createSender(kind, url, { timeoutMs: sendTimeoutMs }) };
  return current.sender;
};
// A missing token hands the batch back with what to run, as a missing URL does.
const sender = appSender
  ? async (): Promise<AlertSender> => {
      await credentials();
      return appSender;
    }
  : webhookSender;
const fingerprintKey = cachedValue(() => readSecretString(secrets, env.fingerprintSecretArn), secretMaxAgeMs);
// Failures per recipient fingerprint live in the same table; delivery statuses need the Paubox API key.
const failureCounter = dynamoFailureCounter(dynamo, env.dedupTable);
const { pauboxApiBaseUrl, pauboxKeySecretArn } = env;
const apiKey = pauboxKeySecretArn
  ? cachedValue(() => readSecretString(secrets, pauboxKeySecretArn), secretMaxAgeMs)
  : undefined;
const deliveryStatus =
  pauboxApiBaseUrl && apiKey
    ? cachedLookup((id) =>
        fetchDeliveryStatus({ baseUrl: pauboxApiBaseUrl, apiKey, timeoutMs: DEFAULT_ENRICHMENT_TIMEOUT_MS }, id),
      )
    : undefined;

// Silences live in the same table; every notifier reads them, cached for at most a minute.
const silenceStore = dynamoAppliedSilences(dynamo, env.dedupTable);
const silences = { list: cachedValue(() => silenceStore.list(), SILENCE_CACHE_MS), hid: silenceStore.hid };

// Hard bounces per recipient fingerprint, for repeat-bounce advice; each new advice goes on the bus when there is one.
const { adviceSettings, adviceBus } = env;
let eventBridge: EventBridgeClient | undefined;
const advice = adviceSettings && {
  store: dynamoAdviceRecorder(dynamo, env.dedupTable, adviceSettings),
  windowDays: windowDaysOf(adviceSettings),
  ...(adviceBus
    ? {
        onNew: async (given: Parameters<typeof adviceEntry>[0]) => {
          const { EventBridgeClient, PutEventsCommand } = eventBridgeSdk();
          eventBridge ??= new EventBridgeClient({});
          const { FailedEntryCount } = await eventBridge.send(
            new PutEventsCommand({ Entries: [adviceEntry(given, adviceBus)] }),
          );
          if (FailedEntryCount) throw new Error('the advice event was not put on the bus');
        },
      }
    : {}),
};

// While a bounce-rate alert fires for a sender domain, its failures are folded into digests (`rates.inhibit`).
const alertOf = env.rateInhibit === true ? dynamoRateAlertOf(dynamo, env.dedupTable) : undefined;
const firingByDomain = new Map<string, () => Promise<boolean>>();
const inhibit = alertOf && {
  firing: (domain: string) => {
    let read = firingByDomain.get(domain);
    if (!read) {
      read = cachedValue(async () => (await alertOf(domain)).state !== undefined, SILENCE_CACHE_MS);
      firingByDomain.set(domain, read);
    }
    return read();
  },
};

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  if (context) powertools.addContext(context);
  const deadline = Date.now() + (context?.getRemainingTimeInMillis() ?? 30_000) - SAFETY_MARGIN_MS;
  // Reports (deliverability cards) share the queue with alerts, and so its retries, pacing and de-duplication.
  const { failedIds } = await notifyBatch(
    event.Records.map((r) => ({
      id: r.messageId,
      body: r.body,
      receiveCount: Number(r.attributes?.ApproximateReceiveCount ?? '1'),
    })),
    buildNotifyDeps({
      destination: { name: destination, detail, timeZone, digest: { minGroupSize }, messagesPerSecond },
      enrichment: { failureCounter, ...(deliveryStatus ? { deliveryStatus } : {}), ...(advice ? { advice } : {}) },
      silences,
      inhibit,
      followUps,
      platform: { sender, fingerprintKey },
      stores: { dedup, deadLetters, pacer },
      delivery: { remainingMs: () => deadline - Date.now(), sendTimeoutMs, maxReceiveCount },
      observability: { logger, metric },
    }),
  ).finally(() => flushMetrics(metrics));
  return { batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) };
};
