import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { cachedValue } from '../aws';
import { dynamodbClientOnFirstUse, sqsClientOnFirstUse } from '../aws';
import { readSecretString } from '../aws';
import { readEnv } from '../aws';
import { INGEST_ENV, RELAY_ENV } from '../aws';
import { consumeWebhooks } from '../ingest';
import { snsPublisher } from '../ingest';
import { sqsQuarantine } from '../ingest';
import { dynamoSelfTestRecords } from '../ingest';
import { parseTokenSecret, validTokens } from '../ingest';
import { jsonLogger } from '../observability';
import { INGEST_SERVICE } from '../observability';
import { flushMetrics, powertoolsMetric, relayMetrics } from '../observability';
import { parseSigningSecret, type RelayEvent } from '../paubox';
import { dynamoRateStore, RateWatch, watchRates } from '../sending';
import { dynamodbSdk, sqsSdk } from '../aws';

/**
 * Ingest consumer: drains the queue API Gateway writes each `POST /paubox/<token>` to, in batches. Checks each
 * webhook's token (and signature), publishes it to the topic, quarantines what it cannot read, and hands back
 * (partial batch failure) what failed for a passing cause.
 */
const env = readEnv(INGEST_ENV);
const { topicArn, tokenSecretArn, quarantineQueueUrl, signingSecretArn, tokenCacheSeconds, selfTestTable } = env;
// Short enough that a rotated token works within a minute; the previous token stays valid far longer.
const tokenMaxAgeMs = (tokenCacheSeconds ?? 60) * 1000;

// Not Powertools Logger: the same line shape at a fraction of the bundle size (see the README's "Logs and metrics").
const logger = jsonLogger(INGEST_SERVICE);
const metrics = relayMetrics(INGEST_SERVICE, readEnv(RELAY_ENV).relayId);
const metric = powertoolsMetric(metrics);
const publisher = snsPublisher(new SNSClient({}), topicArn);
// Only used for an unreadable webhook: its client is not loaded before then.
const quarantine = sqsQuarantine(sqsClientOnFirstUse(), quarantineQueueUrl);
// Only used for a self-test webhook (a deploy, `verify`).
const selfTests = selfTestTable ? dynamoSelfTestRecords(dynamodbClientOnFirstUse(), selfTestTable) : undefined;
const secrets = new SecretsManagerClient({});
const tokenSecret = cachedValue(() => readSecretString(secrets, tokenSecretArn), tokenMaxAgeMs);
// As at the request's receipt (API Gateway's own time): its route existed then.
const expectedTokens = async (receivedAt: Date) =>
  validTokens(parseTokenSecret(await tokenSecret()), receivedAt.getTime());
const signingSecret = signingSecretArn
  ? cachedValue(() => readSecretString(secrets, signingSecretArn), tokenMaxAgeMs)
  : undefined;
const signingKey = signingSecret ? async () => parseSigningSecret(await signingSecret()) : undefined;
// Bounce rates are counted here, where every event passes whatever the routes; notices go on `rates.to`'s queues.
const rates =
  env.rateTable && env.rateSettings && env.rateQueues
    ? { table: env.rateTable, settings: env.rateSettings, queues: env.rateQueues }
    : undefined;
const sqs = sqsClientOnFirstUse();
let rateWatch: RateWatch | undefined;
const rateWatchOf = (settings: NonNullable<typeof rates>): RateWatch =>
  (rateWatch ??= new RateWatch({
    store: dynamoRateStore(new (dynamodbSdk().DynamoDBClient)({}), settings.table),
    settings: settings.settings,
    now: Date.now,
    logger,
    post: async (notice) => {
      const { SendMessageCommand } = sqsSdk();
      const body = JSON.stringify(notice);
      await Promise.all(
        Object.values(settings.queues).map((url) =>
          sqs().send(new SendMessageCommand({ QueueUrl: url, MessageBody: body })),
        ),
      );
    },
  }));

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  const events: RelayEvent[] = [];
  try {
    const { failedIds } = await consumeWebhooks(
      event.Records.map((record) => ({
        messageId: record.messageId,
        body: record.body,
        messageAttributes: record.messageAttributes,
        sentTimestamp: record.attributes.SentTimestamp,
      })),
      {
        expectedTokens,
        signingKey,
        publisher: {
          publish: async (published: RelayEvent, attributes) => {
            await publisher.publish(published, attributes);
            events.push(published);
          },
        },
        logger,
        metric,
        quarantine,
        ...(selfTests ? { selfTests } : {}),
      },
    );
    if (rates && events.length > 0) await watchRates(rateWatchOf(rates), events, logger);
    return { batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) };
  } finally {
    flushMetrics(metrics);
  }
};
