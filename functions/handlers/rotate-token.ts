import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { jsonLogger } from '../observability';
import { requireEnv } from '../aws';
import { rotateTokenStep, type RotationEvent } from '../ingest';

/** Custom rotation function of the webhook token secret: `aws secretsmanager rotate-secret --secret-id …`. */
const overlapHours = Number(requireEnv('TOKEN_OVERLAP_HOURS'));
if (!Number.isFinite(overlapHours) || overlapHours < 0)
  throw new Error('TOKEN_OVERLAP_HOURS must be a number of hours, 0 or more');

const client = new SecretsManagerClient({});
const logger = jsonLogger('rotate-token');

export const handler = async (event: RotationEvent): Promise<void> => {
  await rotateTokenStep(event, { client, overlapMs: overlapHours * 3_600_000, now: Date.now, logger });
};
