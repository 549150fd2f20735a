import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataDirInUseError, LOCK_FILE, lockDataDir } from '../../../functions/local/data-dir-lock';

describe('lockDataDir', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'relay-lock-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the pid, refuses a second lock in this process, and frees the dir on release', () => {
    const lock = lockDataDir(dir);
    expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir).release();
  });

  it('refuses a dir locked by a running process, naming its pid and how to choose another dir', () => {
    // The parent of this process runs, and is not this process.
    writeFileSync(join(dir, LOCK_FILE), `${process.ppid}\n`);
    expect(() => lockDataDir(dir)).toThrow(
      expect.objectContaining({
        message: expect.stringContaining(`in use by another relay (pid ${process.ppid}); stop that relay, or give`),
      }),
    );
    expect(() => lockDataDir(dir)).toThrow(/RELAY_DATA_DIR=<another folder> npm start/);
  });

  it('takes over a stale lock: a pid that no longer runs, an empty file, or its own pid from an earlier run', () => {
    const gone = spawnSync(process.execPath, ['-e', '']).pid!;
    for (const content of [`${gone}\n`, '', `${process.pid}\n`]) {
      writeFileSync(join(dir, LOCK_FILE), content);
      const lock = lockDataDir(dir);
      expect(readFileSync(join(dir, LOCK_FILE), 'utf8')).toBe(`${process.pid}\n`);
      lock.release();
    }
  });
});
