import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { toArchiveRecord } from '../archive';
import { cachedValue } from '../aws';
import { readEnv } from '../aws';
import { PUBLISH_EVENTS_ENV } from '../aws';
import { readSecretString } from '../aws';
import { jsonLogger } from '../observability';
import { AUTOMATION_SERVICE } from '../observability';
import { decodeQueuedEvent } from '../paubox';
import { automationEntries } from '../archive';

/** Automation publisher: puts each event of its queue on the relay's EventBridge bus, at the archive's level. */
const { busName, detail, fingerprintSecretArn } = readEnv(PUBLISH_EVENTS_ENV);
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
