import { OutcomeLedger, unsent, type QueuedRecord } from '../../../../functions/delivery/notify/ledger';

const record = (id: string): QueuedRecord => ({ id, body: '{}', receiveCount: 1 });
const posted = (r: QueuedRecord) => ({
  id: r.id,
  eventKey: `k-${r.id}`,
  result: 'posted' as const,
  attempts: 1,
  rateLimited: 0,
});

describe('OutcomeLedger', () => {
  it("gives every record's outcome in the batch's order, whatever order they were recorded in", () => {
    const [a, b, c] = [record('a'), record('b'), record('c')];
    const ledger = new OutcomeLedger([a, b, c]);
    ledger.record(c, unsent(c, 'k-c', 'retry', 'claimed_elsewhere'));
    ledger.record(a, posted(a));
    ledger.record(b, unsent(b, 'k-b', 'duplicate'));
    const outcome = ledger.close();
    expect(outcome.outcomes.map((o) => [o.id, o.result])).toEqual([
      ['a', 'posted'],
      ['b', 'duplicate'],
      ['c', 'retry'],
    ]);
    // Only the records to retry go back to the queue.
    expect(outcome.failedIds).toEqual(['c']);
  });

  it('refuses a second outcome for a record, and keeps the first', () => {
    const a = record('a');
    const ledger = new OutcomeLedger([a]);
    ledger.record(a, posted(a));
    expect(() => ledger.record(a, unsent(a, 'k-a', 'retry', 'out_of_time'))).toThrow('record a already has an outcome');
    expect(ledger.close().outcomes).toEqual([posted(a)]);
  });

  it('refuses an outcome for a record of another batch, even one with the same id', () => {
    const a = record('a');
    const ledger = new OutcomeLedger([a]);
    expect(() => ledger.record(record('a'), posted(a))).toThrow('record a is not in this batch');
  });

  it('refuses to close while a record has no outcome: nothing is dropped silently', () => {
    const [a, b] = [record('a'), record('b')];
    const ledger = new OutcomeLedger([a, b]);
    ledger.record(a, posted(a));
    expect(() => ledger.outcomeOf(b)).toThrow('record b has no outcome');
    expect(() => ledger.close()).toThrow('record b has no outcome');
    ledger.record(b, posted(b));
    expect(ledger.close().failedIds).toEqual([]);
  });

  it('gives an empty batch an empty outcome', () => {
    expect(new OutcomeLedger([]).close()).toEqual({ failedIds: [], outcomes: [] });
  });
});

describe('unsent', () => {
  it('is an outcome with no attempt, carrying the reason only when there is one', () => {
    const a = record('a');
    expect(unsent(a, 'k', 'retry', 'dedup_unavailable')).toStrictEqual({
      id: 'a',
      eventKey: 'k',
      result: 'retry',
      reason: 'dedup_unavailable',
      attempts: 0,
      rateLimited: 0,
    });
    expect(unsent(a, 'k', 'duplicate')).toStrictEqual({
      id: 'a',
      eventKey: 'k',
      result: 'duplicate',
      attempts: 0,
      rateLimited: 0,
    });
  });
});
