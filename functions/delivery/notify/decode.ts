import { deadLetter, NOT_TRIED } from './hand-back';
import type { QueuedRecord } from './ledger';
import type { BatchRun, Decoded, Keyed, Unread } from './run';

/**
 * Decodes the batch's records with `read`, dead-lettering those it cannot read (as `unread` says, when their kind
 * is known). A record carrying an event already in the batch becomes a copy of the first, and follows its fate.
 */
export async function decodeRecords<E extends Keyed>(
  run: BatchRun,
  records: readonly QueuedRecord[],
  read: (body: string) => E | undefined,
  unread?: Unread,
): Promise<Decoded<E>[]> {
  const decoded: Decoded<E>[] = [];
  const byKey = new Map<string, Decoded<E>>();
  for (const [index, record] of records.entries()) {
    const event = read(record.body);
    if (!event) {
      await deadLetter(run, record, unread, 'malformed_record', NOT_TRIED);
      continue;
    }
    const first = byKey.get(event.key);
    if (first) first.copies.push(record);
    else {
      const item: Decoded<E> = { record, event, index, copies: [] };
      byKey.set(event.key, item);
      decoded.push(item);
    }
  }
  return decoded;
}
