import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jsonLogger } from '../observability/logger';
import { readEnv } from '../aws/function-env';
import { ROTATE_TOKEN_ENV } from '../aws/lambda-environments';
import { rotateTokenStep, type RotationEvent } from '../ingest/token-rotation';

/** Custom rotation function of the webhook token secret: `aws secretsmanager rotate-secret --secret-id …`. */
const { overlapHours } = readEnv(ROTATE_TOKEN_ENV);

const client = new SecretsManagerClient({});
const logger = jsonLogger('rotate-token');

export const handler = async (event: RotationEvent): Promise<void> => {
  await rotateTokenStep(event, { client, overlapMs: overlapHours * 3_600_000, now: Date.now, logger });
};
