import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEDUP_RETENTION_SECONDS } from '../../../functions/delivery';
import { JOURNAL_FILE, LocalJournal } from '../../../functions/local/journal';
import type { RelayEvent } from '../../../functions/paubox';

const event = (key: string): RelayEvent => ({
  key,
  type: 'permanent_failure',
  time: '2026-11-20T14:00:00.000Z',
  sender: 'appointments@mail.clinic.example.com',
  senderDomain: 'mail.clinic.example.com',
  recipients: ['patient@patients.example.org'],
  recipientDomains: ['patients.example.org'],
  customHeaders: {},
});

describe('LocalJournal', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'journal-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps what a destination still waits for across a reopen, and the outcomes for de-duplication', async () => {
    const journal = await LocalJournal.open(dir);
    await Promise.all([journal.accept(event('a'), ['ops', 'care']), journal.accept(event('b'), ['ops'])]);
    await journal.settle('ops', 'a', 'posted');
    await journal.settle('ops', 'b', 'dead');
    expect(journal.pendingCount()).toBe(1);
    // Not closed: as after a crash, only what was fsync'd counts.
    const reopened = await LocalJournal.open(dir);
    expect(reopened.pending()).toEqual([{ event: event('a'), destinations: ['care'] }]);
    expect(reopened.outcomes()).toEqual([
      { destination: 'ops', key: 'a', state: 'posted' },
      { destination: 'ops', key: 'b', state: 'dead' },
    ]);
    expect(statSync(join(dir, JOURNAL_FILE)).mode & 0o777).toBe(0o600);
    await reopened.close();
    await journal.close();
  });

  it('skips a line torn by a crash mid-write', async () => {
    const journal = await LocalJournal.open(dir);
    await journal.accept(event('a'), ['ops']);
    appendFileSync(join(dir, JOURNAL_FILE), '{"t":"accepted","event":{"key":"b"');
    const reopened = await LocalJournal.open(dir);
    expect(reopened.pending().map((e) => e.event.key)).toEqual(['a']);
    await Promise.all([journal.close(), reopened.close()]);
  });

  it('an event accepted again after it was posted is not pending again', async () => {
    const journal = await LocalJournal.open(dir);
    await journal.accept(event('a'), ['ops']);
    await journal.settle('ops', 'a', 'posted');
    await journal.accept(event('a'), ['ops']);
    expect(journal.pendingCount()).toBe(0);
    await journal.close();
  });

  it('compacts: settled events go, outcomes older than the de-duplication retention go', async () => {
    let now = Date.parse('2026-11-20T14:00:00Z');
    const journal = await LocalJournal.open(dir, { now: () => now, compactAfterLines: 50 });
    for (let i = 0; i < 100; i++) {
      await journal.accept(event(`k${i}`), ['ops']);
      if (i > 0) await journal.settle('ops', `k${i}`, 'posted');
    }
    const lines = readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    expect(lines.length).toBeLessThan(150);
    await journal.close();
    now += (DEDUP_RETENTION_SECONDS + 1) * 1000;
    const later = await LocalJournal.open(dir, { now: () => now });
    expect(later.pending().map((e) => e.event.key)).toEqual(['k0']);
    expect(later.outcomes()).toEqual([]);
    await later.close();
    expect(readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n')).toHaveLength(1);
  });
});
