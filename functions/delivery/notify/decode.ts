import { decodeQueuedEvent } from '../../paubox';
import { deadLetter, NOT_TRIED } from './hand-back';
import type { QueuedRecord } from './ledger';
import type { BatchRun, Decoded } from './run';

/**
 * Decodes the batch's records, dead-lettering those that hold no event. A record carrying an event already in the
 * batch becomes a copy of the first, and follows its fate.
 */
export async function decodeRecords(run: BatchRun, records: readonly QueuedRecord[]): Promise<Decoded[]> {
  const decoded: Decoded[] = [];
  const byKey = new Map<string, Decoded>();
  for (const [index, record] of records.entries()) {
    const event = decodeQueuedEvent(record.body);
    if (!event) {
      await deadLetter(run, record, undefined, 'malformed_record', NOT_TRIED);
      continue;
    }
    const first = byKey.get(event.key);
    if (first) first.copies.push(record);
    else {
      const item: Decoded = { record, event, index, copies: [] };
      byKey.set(event.key, item);
      decoded.push(item);
    }
  }
  return decoded;
}
