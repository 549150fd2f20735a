import { appendFileSync, copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
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
    expect(reopened.pending()).toEqual([{ event: event('a'), destinations: ['care'], mayRepeat: [] }]);
    expect(reopened.outcomes()).toEqual([
      { destination: 'ops', key: 'a', state: 'posted' },
      { destination: 'ops', key: 'b', state: 'dead' },
    ]);
    expect(statSync(join(dir, JOURNAL_FILE)).mode & 0o777).toBe(0o600);
    await reopened.close();
    await journal.close();
  });

  it('moves a line torn by a crash mid-write to journal.jsonl.torn, and appends after the last whole line', async () => {
    const journal = await LocalJournal.open(dir);
    await journal.accept(event('a'), ['ops']);
    const torn = '{"t":"accepted","event":{"key":"b"';
    appendFileSync(join(dir, JOURNAL_FILE), torn);
    const warnings: string[] = [];
    const reopened = await LocalJournal.open(dir, { warn: (m) => warnings.push(m) });
    expect(reopened.pending().map((e) => e.event.key)).toEqual(['a']);
    expect(readFileSync(join(dir, `${JOURNAL_FILE}.torn`), 'utf8')).toBe(`${torn}\n`);
    // Repaired before reading: said, and nothing left to skip.
    const path = join(dir, JOURNAL_FILE);
    expect(warnings).toEqual([`repaired a torn last line in ${path}; its bytes are kept in ${path}.torn`]);
    await reopened.accept(event('c'), ['ops']);
    const again = await LocalJournal.open(dir);
    expect(again.pending().map((e) => e.event.key)).toEqual(['a', 'c']);
    await Promise.all([journal.close(), reopened.close(), again.close()]);
  });

  it('skips null, [], 42, NUL, BOM-prefixed and torn lines, says so once, keeps them aside and every good line', async () => {
    const path = join(dir, JOURNAL_FILE);
    const good = (key: string) => JSON.stringify({ t: 'accepted', event: event(key), to: ['ops'] });
    const bad = ['null', '[]', '42', '\u0000\u0000\u0000', `\ufeff${good('x')}`, '{"t":"settled","to":"ops"', '"text"'];
    appendFileSync(path, `${good('a')}\n${bad.join('\n')}\n${good('b')}\n`);
    const warnings: string[] = [];
    const journal = await LocalJournal.open(dir, { warn: (m) => warnings.push(m) });
    expect(journal.pending().map((e) => e.event.key)).toEqual(['a', 'b']);
    expect(warnings).toEqual([`skipped ${bad.length} unreadable lines in ${path}`]);
    expect(readFileSync(`${path}.unreadable`, 'utf8')).toBe(`${bad.join('\n')}\n`);
    await journal.close();
    // Compacted: the next start has nothing to skip.
    const warned: string[] = [];
    await (await LocalJournal.open(dir, { warn: (m) => warned.push(m) })).close();
    expect(warned).toEqual([]);
  });

  it('knows which posts may have gone out: sent, with no outcome written', async () => {
    const journal = await LocalJournal.open(dir);
    await journal.accept(event('a'), ['ops', 'care']);
    await journal.accept(event('b'), ['ops']);
    await journal.accept(event('c'), ['ops']);
    await journal.sending('ops', ['a']);
    await journal.settle('ops', 'a', 'posted');
    await journal.sending('ops', ['b']);
    await journal.unsent('ops', ['b']);
    await journal.sending('ops', ['c']);
    await journal.sending('care', ['a']);
    // A crash here: c's post to ops and a's to care may have gone out; b's was refused.
    const reopened = await LocalJournal.open(dir);
    expect(reopened.pending()).toEqual([
      { event: event('a'), destinations: ['care'], mayRepeat: ['care'] },
      { event: event('b'), destinations: ['ops'], mayRepeat: [] },
      { event: event('c'), destinations: ['ops'], mayRepeat: ['ops'] },
    ]);
    await reopened.close();
    // Compaction keeps the intents of posts still pending.
    const third = await LocalJournal.open(dir);
    expect(third.pending().map((e) => e.mayRepeat)).toEqual([['care'], [], ['ops']]);
    await Promise.all([journal.close(), third.close()]);
    expect(existsSync(join(dir, `${JOURNAL_FILE}.unreadable`))).toBe(false);
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
      journal.archived(`k${i}`);
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
    // The one event still waiting, and that its archive line is written.
    const kept = readFileSync(join(dir, JOURNAL_FILE), 'utf8').trim().split('\n');
    expect(kept.map((line) => (JSON.parse(line) as { t: string }).t)).toEqual(['accepted', 'archived']);
  });

  it('keeps an accepted event, routed or not, until its archive line is written, across a crash and a compaction', async () => {
    const journal = await LocalJournal.open(dir, { compactAfterLines: 4 });
    await journal.accept(event('unrouted'), []);
    await journal.accept(event('routed'), ['ops']);
    journal.archived('routed');
    await journal.settle('ops', 'routed', 'posted');
    expect(journal.toArchive().map((e) => e.key)).toEqual(['unrouted']);
    // A crash now leaves the file as it is on disk: the unrouted event's archive line was never written.
    const crashed = mkdtempSync(join(tmpdir(), 'journal-crash-'));
    try {
      copyFileSync(join(dir, JOURNAL_FILE), join(crashed, JOURNAL_FILE));
      const restarted = await LocalJournal.open(crashed);
      expect(restarted.toArchive()).toEqual([event('unrouted')]);
      expect(restarted.pendingCount()).toBe(0);
      restarted.archived('unrouted');
      await restarted.close();
      const again = await LocalJournal.open(crashed);
      expect(again.toArchive()).toEqual([]);
      await again.close();
    } finally {
      rmSync(crashed, { recursive: true, force: true });
    }
    await journal.close();
  });

  it('expects no archive line of a redriven event, which was archived when it first came', async () => {
    const journal = await LocalJournal.open(dir);
    await journal.accept(event('redriven'), ['ops'], true);
    expect(journal.toArchive()).toEqual([]);
    await journal.close();
    const again = await LocalJournal.open(dir);
    expect(again.toArchive()).toEqual([]);
    expect(again.pending().map((e) => e.event.key)).toEqual(['redriven']);
    await again.close();
  });
});
