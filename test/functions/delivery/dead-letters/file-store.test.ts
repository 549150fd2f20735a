import { mkdtempSync, statSync } from 'node:fs';
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

  it('lists nothing when no letter was ever written', async () => {
    expect(await new FileDeadLetterStore(join(tmpdir(), 'relay-never-written')).list()).toEqual([]);
  });
});
