import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readSecretString, snsPublisher, sqsClientOnFirstUse, sqsFallbackPublisher } from './commons/aws-clients';
import { durablePublisher, handleWebhook } from './commons/ingest-core';
import { emfMetric, jsonLogger, METRIC_NAMESPACE } from './commons/logger';
import { cachedValue, requireEnv } from './commons/secrets';

/** Ingest Lambda: `POST /paubox/{token}` on the HTTP API. */
const topicArn = requireEnv('TOPIC_ARN');
const tokenSecretArn = requireEnv('TOKEN_SECRET_ARN');
const fallbackQueueUrl = requireEnv('FALLBACK_QUEUE_URL');
const tokenMaxAgeMs = Number(process.env.TOKEN_CACHE_SECONDS ?? '300') * 1000;

const logger = jsonLogger('ingest');
const metric = emfMetric(METRIC_NAMESPACE, { Service: 'ingest' });
const publisher = durablePublisher(
  snsPublisher(new SNSClient({}), topicArn),
  // Only used when SNS refuses an event: its client is not loaded before then.
  sqsFallbackPublisher(sqsClientOnFirstUse(), fallbackQueueUrl),
  logger,
  metric,
);
const secrets = new SecretsManagerClient({});
const expectedTokens = cachedValue(async () => [await readSecretString(secrets, tokenSecretArn)], tokenMaxAgeMs);

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const response = await handleWebhook(
    {
      token: event.pathParameters?.token,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
      receivedAt: new Date(),
    },
    { expectedTokens, publisher, logger, metric },
  );
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(response.body),
  };
};
