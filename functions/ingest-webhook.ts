import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readSecretString, snsPublisher, sqsFallbackPublisher } from './commons/aws-clients';
import { durablePublisher, handleWebhook } from './commons/ingest-core';
import { emfMetric, jsonLogger, METRIC_NAMESPACE } from './commons/logger';
import { cachedValue, requireEnv } from './commons/secrets';
import { parseSigningSecret } from './commons/signature';
import { parseTokenSecret, validTokens } from './commons/token-secret';

/** Ingest Lambda: `POST /paubox/{token}` on the HTTP API. */
const topicArn = requireEnv('TOPIC_ARN');
const tokenSecretArn = requireEnv('TOKEN_SECRET_ARN');
const fallbackQueueUrl = requireEnv('FALLBACK_QUEUE_URL');
const signingSecretArn = process.env.SIGNING_SECRET_ARN;
// Short enough that a rotated token works within a minute; the previous token stays valid far longer.
const tokenMaxAgeMs = Number(process.env.TOKEN_CACHE_SECONDS ?? '60') * 1000;

const logger = jsonLogger('ingest');
const metric = emfMetric(METRIC_NAMESPACE, { Service: 'ingest' });
const publisher = durablePublisher(
  snsPublisher(new SNSClient({}), topicArn),
  sqsFallbackPublisher(new SQSClient({}), fallbackQueueUrl),
  logger,
  metric,
);
const secrets = new SecretsManagerClient({});
const tokenSecret = cachedValue(async () => parseTokenSecret(await readSecretString(secrets, tokenSecretArn)), tokenMaxAgeMs);
const expectedTokens = async () => validTokens(await tokenSecret(), Date.now());
const signingKey = signingSecretArn
  ? cachedValue(async () => parseSigningSecret(await readSecretString(secrets, signingSecretArn)), tokenMaxAgeMs)
  : undefined;

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const response = await handleWebhook(
    {
      token: event.pathParameters?.token,
      body: event.body,
      isBase64Encoded: event.isBase64Encoded,
      headers: event.headers,
      receivedAt: new Date(),
    },
    { expectedTokens, signingKey, publisher, logger, metric },
  );
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(response.body),
  };
};
