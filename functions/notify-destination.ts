import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { readSecretString } from './commons/aws-clients';
import { checkDestinationUrl, type ChatKind } from './commons/destination-url';
import { DETAIL_LEVELS, type DetailLevel } from './commons/detail-level';
import { jsonLogger } from './commons/logger';
import { notifyBatch } from './commons/notify-core';
import { cachedValue, requireEnv } from './commons/secrets';
import { createSender, DEFAULT_SEND_TIMEOUT_MS, type AlertSender } from './commons/senders';

/** Notifier Lambda: one per destination, fed by that destination's queue. */
const destination = requireEnv('DESTINATION_NAME');
const configuredKind = requireEnv('DESTINATION_KIND'); // slack | teams | auto
const detail = requireEnv('DESTINATION_DETAIL') as DetailLevel;
if (!DETAIL_LEVELS.includes(detail)) throw new Error(`DESTINATION_DETAIL must be one of ${DETAIL_LEVELS.join(', ')}`);
const urlSecretArn = requireEnv('DESTINATION_SECRET_ARN');
const fingerprintSecretArn = requireEnv('FINGERPRINT_SECRET_ARN');
const secretMaxAgeMs = Number(process.env.SECRET_CACHE_SECONDS ?? '300') * 1000;
const timeoutMs = Number(process.env.SEND_TIMEOUT_MS ?? DEFAULT_SEND_TIMEOUT_MS);

const logger = jsonLogger('notifier');
const secrets = new SecretsManagerClient({});

// The URL is checked every time it is read: a secret changed to a non-chat host is refused, not posted to.
let current: { url: string; sender: AlertSender } | undefined;
const sender = cachedValue(async () => {
  const url = await readSecretString(secrets, urlSecretArn);
  if (current?.url === url) return current.sender;
  const kind = checkDestinationUrl(url, {
    kind: configuredKind === 'auto' ? undefined : (configuredKind as ChatKind),
    allowLoopbackHttp: false,
  });
  current = { url, sender: createSender(kind, url, { timeoutMs }) };
  return current.sender;
}, secretMaxAgeMs);
const fingerprintKey = cachedValue(() => readSecretString(secrets, fingerprintSecretArn), secretMaxAgeMs);

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  const { failedIds } = await notifyBatch(
    event.Records.map((r) => ({ id: r.messageId, body: r.body })),
    { destination, detail, sender, fingerprintKey, logger },
  );
  return { batchItemFailures: failedIds.map((itemIdentifier) => ({ itemIdentifier })) };
};
