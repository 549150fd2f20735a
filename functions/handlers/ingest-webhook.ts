import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import { sqsClientOnFirstUse } from '../aws/lazy-sdk';
import { readSecretString } from '../aws/read-secret';
import { durablePublisher } from '../ingest/event-publisher';
import { handleWebhook, type IngestResponse } from '../ingest/handle-webhook';
import { snsPublisher } from '../ingest/sns-publisher';
import { sqsFallbackPublisher } from '../ingest/sqs-fallback-publisher';
import { jsonLogger } from '../observability/logger';
import { INGEST_SERVICE, METRIC_NAMESPACE } from '../observability/metric-names';
import { flushMetrics, powertoolsMetric } from '../observability/powertools-metrics';
import { cachedValue } from '../aws/cached-value';
import { requireEnv } from '../aws/require-env';
import { parseSigningSecret } from '../paubox/signature';
import { parseTokenSecret, validTokens } from '../ingest/token-secret';

/** Ingest Lambda: `POST /paubox/{token}` on the HTTP API. */
const topicArn = requireEnv('TOPIC_ARN');
const tokenSecretArn = requireEnv('TOKEN_SECRET_ARN');
const fallbackQueueUrl = requireEnv('FALLBACK_QUEUE_URL');
const signingSecretArn = process.env.SIGNING_SECRET_ARN;
// Short enough that a rotated token works within a minute; the previous token stays valid far longer.
const tokenMaxAgeMs = Number(process.env.TOKEN_CACHE_SECONDS ?? '60') * 1000;

// Not Powertools Logger: the same line shape at a fraction of the bundle size (see the README's "Logs and metrics").
const logger = jsonLogger(INGEST_SERVICE);
const metrics = new Metrics({ namespace: METRIC_NAMESPACE, serviceName: INGEST_SERVICE });
const metric = powertoolsMetric(metrics);
const publisher = durablePublisher(
  snsPublisher(new SNSClient({}), topicArn),
  // Only used when SNS refuses an event: its client is not loaded before then.
  sqsFallbackPublisher(sqsClientOnFirstUse(), fallbackQueueUrl),
  logger,
  metric,
);
const secrets = new SecretsManagerClient({});
// The raw values are cached and parsed per request (cheap), so that a secret that does not parse yet (a signing
// secret still holding its placeholder answers 503) is not fetched again on every webhook.
const tokenSecret = cachedValue(() => readSecretString(secrets, tokenSecretArn), tokenMaxAgeMs);
const expectedTokens = async () => validTokens(parseTokenSecret(await tokenSecret()), Date.now());
const signingSecret = signingSecretArn
  ? cachedValue(() => readSecretString(secrets, signingSecretArn), tokenMaxAgeMs)
  : undefined;
const signingKey = signingSecret ? async () => parseSigningSecret(await signingSecret()) : undefined;

export const handler = async (
  event: APIGatewayProxyEventV2,
  context?: Context,
): Promise<APIGatewayProxyStructuredResultV2> => {
  logger.addContext(context);
  let response: IngestResponse;
  try {
    response = await handleWebhook(
      {
        token: event.pathParameters?.token,
        body: event.body,
        isBase64Encoded: event.isBase64Encoded,
        headers: event.headers,
        receivedAt: new Date(),
      },
      { expectedTokens, signingKey, publisher, logger, metric },
    );
  } finally {
    flushMetrics(metrics);
  }
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(response.body),
  };
};
