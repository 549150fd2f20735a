import { appendFileSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarizeDeadLetters, type DeadLetter } from '../../../../functions/delivery/dead-letters/dead-letter';
import { FileDeadLetterStore } from '../../../../functions/delivery/dead-letters/file-store';

const letter = (destination: string, reason: string): DeadLetter => ({
  destination,
  eventKey: 'k'.repeat(32),
  eventType: 'permanent_failure',
  reason,
  failedAt: '2026-11-22T10:00:00.000Z',
  body: '{"recipients":["someone@patients.example.org"]}',
});

describe('FileDeadLetterStore', () => {
  it('keeps letters per destination in an owner-only file and lists them back', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-dl-'));
    const store = new FileDeadLetterStore(dir);
    await store.put(letter('ops', 'no_service'));
    await store.put(letter('ops', 'http_503'));
    await store.put(letter('teams', 'no_service'));
    expect((await store.list('ops')).map((l) => l.reason)).toEqual(['no_service', 'http_503']);
    expect(await store.list()).toHaveLength(3);
    expect(statSync(join(dir, 'dead-letters', 'ops.jsonl')).mode & 0o777).toBe(0o600);
    expect(summarizeDeadLetters(await store.list())).toEqual({ no_service: 2, http_503: 1 });
  });

  it('lists around lines it cannot read, says so once, and a move leaves those lines where they were', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-dl-'));
    const said: string[] = [];
    const store = new FileDeadLetterStore(dir, { warn: (m) => said.push(m) });
    await store.put(letter('ops', 'no_service'));
    const file = join(dir, 'dead-letters', 'ops.jsonl');
    const rot = ['null', '{"destination":"ops"}', '\u0000\u0000'];
    appendFileSync(file, `${rot.join('\n')}\n`);
    await store.put(letter('ops', 'http_503'));
    expect((await store.list('ops')).map((l) => l.reason)).toEqual(['no_service', 'http_503']);
    expect(said).toEqual([`skipped 3 unreadable lines in ${file}`]);
    const moved = await store.move(
      'ops',
      (l) => l.reason === 'http_503',
      () => undefined,
    );
    expect(moved.map((l) => l.reason)).toEqual(['http_503']);
    expect(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((line) => rot.includes(line)),
    ).toEqual(rot);
    expect((await store.list('ops')).map((l) => l.reason)).toEqual(['no_service']);
  });

  it('lists nothing when no letter was ever written', async () => {
    expect(await new FileDeadLetterStore(join(tmpdir(), 'relay-never-written')).list()).toEqual([]);
  });
});

describe('FileDeadLetterStore.move', () => {
  it('hands the chosen letters over before removing them, and keeps the rest and later ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-dl-move-'));
    const store = new FileDeadLetterStore(dir);
    await store.put({ ...letter('ops', 'no_service'), eventKey: 'a' });
    await store.put({ ...letter('ops', 'http_503'), eventKey: 'b' });
    await store.put({ ...letter('teams', 'no_service'), eventKey: 'a' });
    const delivered: string[] = [];
    let storedWhileHandedOver = false;
    const moving = store.move(
      'ops',
      (l) => l.eventKey === 'a',
      (letters) => {
        delivered.push(...letters.map((l) => l.eventKey));
        // Handed over while still stored: a crash here leaves it twice, never lost.
        storedWhileHandedOver = readFileSync(join(dir, 'dead-letters', 'ops.jsonl'), 'utf8').includes('"eventKey":"a"');
      },
    );
    // Written while the move runs: it must survive the rewrite.
    const late = store.put({ ...letter('ops', 'late'), eventKey: 'c' });
    expect((await moving).map((l) => l.eventKey)).toEqual(['a']);
    await late;
    expect(delivered).toEqual(['a']);
    expect(storedWhileHandedOver).toBe(true);
    expect((await store.list('ops')).map((l) => l.eventKey)).toEqual(['b', 'c']);
    expect(await store.list('teams')).toHaveLength(1);
    expect(statSync(join(dir, 'dead-letters', 'ops.jsonl')).mode & 0o777).toBe(0o600);
    expect(
      await store.move(
        'nobody',
        () => true,
        () => undefined,
      ),
    ).toEqual([]);
  });
});
