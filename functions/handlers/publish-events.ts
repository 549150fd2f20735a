import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toArchiveRecord, automationEntries } from '../archive';
import { cachedValue, requireEnv, readSecretString } from '../aws';
import { DETAIL_LEVELS, type DetailLevel } from '../config';
import { jsonLogger, AUTOMATION_SERVICE } from '../observability';
import { decodeQueuedEvent } from '../paubox';

/** Automation publisher: puts each event of its queue on the relay's EventBridge bus, at the archive's level. */
const busName = requireEnv('EVENT_BUS_NAME');
const detail = requireEnv('ARCHIVE_DETAIL') as DetailLevel;
if (!DETAIL_LEVELS.includes(detail)) throw new Error(`ARCHIVE_DETAIL must be one of ${DETAIL_LEVELS.join(', ')}`);
const fingerprintSecretArn = requireEnv('FINGERPRINT_SECRET_ARN');
const logger = jsonLogger(AUTOMATION_SERVICE);
const events = new EventBridgeClient({});
const secrets = new SecretsManagerClient({});
const fingerprintKey = cachedValue(() => readSecretString(secrets, fingerprintSecretArn), 300_000);

export const handler = async (event: SQSEvent, context?: Context): Promise<SQSBatchResponse> => {
  logger.addContext(context);
  const key = await fingerprintKey();
  const failed: string[] = [];
  const ready: { id: string; record: ReturnType<typeof toArchiveRecord> }[] = [];
  for (const message of event.Records) {
    const relayEvent = decodeQueuedEvent(message.body);
    if (!relayEvent) {
      // Handed back until the queue dead-letters it, where its alarm fires.
      logger.log('error', 'queue record is not a relay event', { reason: 'malformed_record' });
      failed.push(message.messageId);
      continue;
    }
    ready.push({
      id: message.messageId,
      record: toArchiveRecord(relayEvent, { detail, fingerprintKey: key }, new Date()),
    });
  }
  for (const chunk of automationEntries(ready, busName)) {
    const result = await events.send(new PutEventsCommand({ Entries: chunk.map((c) => c.entry) }));
    (result.Entries ?? []).forEach((entry, i) => {
      if (entry.ErrorCode) {
        logger.log('warn', 'event not put on the bus; will retry', {
          eventKey: chunk[i]!.key,
          reason: entry.ErrorCode,
        });
        failed.push(chunk[i]!.id);
      }
    });
  }
  logger.log('info', 'events put on the bus', {
    count: ready.length - (failed.length - (event.Records.length - ready.length)),
  });
  return { batchItemFailures: failed.map((itemIdentifier) => ({ itemIdentifier })) };
};
