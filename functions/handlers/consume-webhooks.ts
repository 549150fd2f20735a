import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { cachedValue } from '../aws';
import { sqsClientOnFirstUse } from '../aws';
import { readSecretString } from '../aws';
import { readEnv } from '../aws';
import { INGEST_ENV } from '../aws';
import { consumeWebhooks } from '../ingest';
import { snsPublisher } from '../ingest';
import { sqsQuarantine } from '../ingest';
import { parseTokenSecret, validTokens } from '../ingest';
import { jsonLogger } from '../observability';
import { INGEST_SERVICE, METRIC_NAMESPACE } from '../observability';
import { flushMetrics, powertoolsMetric } from '../observability';
import { parseSigningSecret } from '../paubox';

/**
 * Ingest consumer: drains the queue API Gateway writes each `POST /paubox/{token}` to, in batches. Checks each
 * webhook's token (and signature), publishes it to the topic, quarantines what it cannot read, and hands back
 * (partial batch failure) what failed for a passing cause.
 */
const { topicArn, tokenSecretArn, quarantineQueueUrl, signingSecretArn, tokenCacheSeconds } = readEnv(INGEST_ENV);
// Short enough that a rotated token works within a minute; the previous token stays valid far longer.
const tokenMaxAgeMs = (tokenCacheSeconds ?? 60) * 1000;

// Not Powertools Logger: the same line shape at a fraction of the bundle size (see the README's "Logs and metrics").
const logger = jsonLogger(INGEST_SERVICE);
const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: INGEST_SERVICE });
const metric = powertoolsMetric(metrics);
const publisher = snsPublisher(new SNSClient({}), topicArn);
// Only used for an unreadable webhook: its client is not loaded before then.
const quarantine = sqsQuarantine(sqsClientOnFirstUse(), quarantineQueueUrl);
const secrets = new SecretsManagerClient({});
const tokenSecret = cachedValue(() => readSecretString(secrets, tokenSecretArn), tokenMaxAgeMs);
const expectedTokens = async () => validTokens(parseTokenSecret(await tokenSecret()), Date.now());
const signingSecret = signingSecretArn
  ? cachedValue(() => readSecretString(secrets, signingSecretArn), tokenMaxAgeMs)
  : undefined;
const signingKey = signingSecret ? async () => parseSigningSecret(await signingSecret()) : undefined;

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  try {
    const { failedIds } = await consumeWebhooks(
      event.Records.map((record) => ({
        messageId: record.messageId,
        body: record.body,
        messageAttributes: record.messageAttributes,
        sentTimestamp: record.attributes.SentTimestamp,
      })),
      { expectedTokens, signingKey, publisher, logger, metric, quarantine },
    );
    return { batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) };
  } finally {
    flushMetrics(metrics);
  }
};
