import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readEnv, respondToCloudFormation, ROTATE_TOKEN_ENV } from '../aws';
import { handleTokenEvent, syncWebhookRoutes } from '../ingest';
import { jsonLogger } from '../observability';

/**
 * The webhook token's function: custom rotation of its secret (`aws secretsmanager rotate-secret --secret-id …`),
 * and the webhook routes of the HTTP API, one per valid token, at deploy and on a schedule.
 */
const env = readEnv(ROTATE_TOKEN_ENV);

const client = new SecretsManagerClient({});
const logger = jsonLogger('rotate-token');
const api = {
  client: new ApiGatewayV2Client({}),
  apiId: env.apiId,
  integrationId: env.integrationId,
  stageName: env.stageName,
  throttle: { rateLimit: env.rateLimit, burstLimit: env.burstLimit },
  logger,
};

export const handler = async (event: unknown): Promise<void> => {
  await handleTokenEvent(event, {
    client,
    overlapMs: env.overlapHours * 3_600_000,
    now: Date.now,
    logger,
    routes: (tokens) => syncWebhookRoutes(api, tokens),
    tokenSecretArn: env.tokenSecretArn,
    respond: respondToCloudFormation,
  });
};
