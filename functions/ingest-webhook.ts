import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { readSecretString, snsPublisher } from './commons/aws-clients';
import { handleWebhook } from './commons/ingest-core';
import { jsonLogger } from './commons/logger';
import { cachedValue, requireEnv } from './commons/secrets';

/** Ingest Lambda: `POST /paubox/{token}` on the HTTP API. */
const topicArn = requireEnv('TOPIC_ARN');
const tokenSecretArn = requireEnv('TOKEN_SECRET_ARN');
const tokenMaxAgeMs = Number(process.env.TOKEN_CACHE_SECONDS ?? '300') * 1000;

const logger = jsonLogger('ingest');
const publisher = snsPublisher(new SNSClient({}), topicArn);
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
    { expectedTokens, publisher, logger },
  );
  return {
    statusCode: response.statusCode,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(response.body),
  };
};
