import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { respondToCloudFormation } from '../aws/cloudformation-response';
import { requireEnv } from '../aws/require-env';
import { handleTokenEvent } from '../ingest/token-events';
import { syncWebhookRoutes } from '../ingest/webhook-routes';
import { jsonLogger } from '../observability/logger';

/**
 * The webhook token's function: custom rotation of its secret (`aws secretsmanager rotate-secret --secret-id …`),
 * and the webhook routes of the HTTP API, one per valid token, at deploy and on a schedule.
 */
const overlapHours = Number(requireEnv('TOKEN_OVERLAP_HOURS'));
if (!Number.isFinite(overlapHours) || overlapHours < 0)
  throw new Error('TOKEN_OVERLAP_HOURS must be a number of hours, 0 or more');
const positive = (name: string): number => {
  const value = Number(requireEnv(name));
  if (!(value > 0)) throw new Error(`${name} must be a number above 0`);
  return value;
};

const client = new SecretsManagerClient({});
const logger = jsonLogger('rotate-token');
const api = {
  client: new ApiGatewayV2Client({}),
  apiId: requireEnv('API_ID'),
  integrationId: requireEnv('WEBHOOK_INTEGRATION_ID'),
  stageName: requireEnv('API_STAGE_NAME'),
  throttle: { rateLimit: positive('WEBHOOK_RATE_LIMIT'), burstLimit: positive('WEBHOOK_BURST_LIMIT') },
  logger,
};

export const handler = async (event: unknown): Promise<void> => {
  await handleTokenEvent(event, {
    client,
    overlapMs: overlapHours * 3_600_000,
    now: Date.now,
    logger,
    routes: (tokens) => syncWebhookRoutes(api, tokens),
    tokenSecretArn: requireEnv('TOKEN_SECRET_ARN'),
    respond: respondToCloudFormation,
  });
};
