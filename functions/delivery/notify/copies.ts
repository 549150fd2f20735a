import { skipDuplicate } from './claim';
import { unsent } from './ledger';
import type { BatchRun, Decoded, Keyed } from './run';

/** Copies of an event in the same batch: skipped once it is posted or dead-lettered, else handed back with it. */
export function settleCopies(run: BatchRun, decoded: readonly Decoded<Keyed>[]): void {
  for (const { record, event, copies } of decoded) {
    const primary = run.ledger.outcomeOf(record);
    for (const copy of copies) {
      if (primary.result === 'retry') run.ledger.record(copy, unsent(copy, event.key, 'retry', primary.reason));
      else skipDuplicate(run, copy, event);
    }
  }
}
