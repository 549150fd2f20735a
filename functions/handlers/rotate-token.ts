import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jsonLogger } from '../observability';
import { readEnv } from '../aws';
import { ROTATE_TOKEN_ENV } from '../aws';
import { rotateTokenStep, type RotationEvent } from '../ingest';

/** Custom rotation function of the webhook token secret: `aws secretsmanager rotate-secret --secret-id …`. */
const { overlapHours } = readEnv(ROTATE_TOKEN_ENV);

const client = new SecretsManagerClient({});
const logger = jsonLogger('rotate-token');

export const handler = async (event: RotationEvent): Promise<void> => {
  await rotateTokenStep(event, { client, overlapMs: overlapHours * 3_600_000, now: Date.now, logger });
};
