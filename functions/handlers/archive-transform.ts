import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Context, FirehoseTransformationEvent, FirehoseTransformationResult } from 'aws-lambda';
import { archiveLine, toArchiveRecord } from '../archive';
import { cachedValue } from '../aws';
import { readEnv } from '../aws';
import { ARCHIVE_TRANSFORM_ENV, RELAY_ENV } from '../aws';
import { readSecretString } from '../aws';
import { jsonLogger } from '../observability';
import { ARCHIVE_DROPPED_METRIC, ARCHIVE_SERVICE } from '../observability';
import { flushMetrics, powertoolsMetric, relayMetrics } from '../observability';
import { decodeQueuedEvent } from '../paubox';

/**
 * Firehose transformation of the archive stream: each event the topic delivered (raw, so the relay's own JSON) is
 * cut down to the archive's detail level before Firehose writes anything to S3, and ends with a line break.
 */
const { detail, fingerprintSecretArn } = readEnv(ARCHIVE_TRANSFORM_ENV);
const logger = jsonLogger(ARCHIVE_SERVICE);
const metrics = relayMetrics(ARCHIVE_SERVICE, readEnv(RELAY_ENV).relayId);
const metric = powertoolsMetric(metrics);
const secrets = new SecretsManagerClient({});
const fingerprintKey = cachedValue(() => readSecretString(secrets, fingerprintSecretArn), 300_000);

export const handler = async (
  event: FirehoseTransformationEvent,
  context?: Context,
): Promise<FirehoseTransformationResult> => {
  logger.addContext(context);
  // Read before any record: if the key cannot be read the invocation fails, and Firehose retries it.
  const key = await fingerprintKey();
  let dropped = 0;
  const records = event.records.map((record) => {
    const relayEvent = decodeQueuedEvent(Buffer.from(record.data, 'base64').toString('utf8'));
    if (!relayEvent) {
      // Not the relay's JSON (only ingest and the drainer publish to the topic): never copied to the archive.
      dropped++;
      return { recordId: record.recordId, result: 'Dropped' as const, data: '' };
    }
    const line = archiveLine(
      toArchiveRecord(relayEvent, { detail, fingerprintKey: key }, new Date(record.approximateArrivalTimestamp)),
    );
    return { recordId: record.recordId, result: 'Ok' as const, data: Buffer.from(line).toString('base64') };
  });
  if (dropped > 0) {
    logger.log('error', 'records that are not relay events were left out of the archive', { count: dropped });
    metric(ARCHIVE_DROPPED_METRIC, dropped);
  }
  flushMetrics(metrics);
  return { records };
};
