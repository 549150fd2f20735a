import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { OpsError } from '../aws';

/** The lock file of a data dir: it holds the pid of the relay writing there. */
export const LOCK_FILE = 'relay.lock';

/** A data dir another running relay writes to: two writers would overwrite each other's journal. */
export class DataDirInUseError extends OpsError {
  constructor(
    public readonly dataDir: string,
    public readonly pid: number,
  ) {
    super(
      `the data dir ${dataDir} is in use by another relay (pid ${pid}); stop that relay, or give this one a data ` +
        `dir of its own: RELAY_DATA_DIR=<another folder> npm start (if no relay runs, delete ${join(dataDir, LOCK_FILE)})`,
    );
  }
}

export interface DataDirLock {
  /** Removes the lock file, if it is still this process's. */
  release(): void;
}

/** Data dirs locked by this process: its own pid in a lock file is stale unless listed here (pids are reused). */
const lockedHere = new Set<string>();

/** Whether a process runs with this pid (one of another user counts: it exists, we may not signal it). */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function ownerOf(path: string): number | undefined {
  try {
    const pid = Number(readFileSync(path, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the data dir for this process: creates `relay.lock` exclusively (O_EXCL) with the pid in it. A lock left
 * by a relay that no longer runs (killed, crashed) is taken over.
 *
 * @throws DataDirInUseError naming the other relay's pid and how to choose another dir
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const dir = resolve(dataDir);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const path = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    let fd: number;
    try {
      fd = openSync(path, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = ownerOf(path);
      const ours = owner === process.pid && lockedHere.has(dir);
      if (owner !== undefined && (ours || (owner !== process.pid && isRunning(owner)))) {
        throw new DataDirInUseError(dir, owner);
      }
      // Stale (or empty: its writer died between creating and writing it).
      try {
        unlinkSync(path);
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause;
      }
      continue;
    }
    try {
      writeSync(fd, `${process.pid}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    lockedHere.add(dir);
    return {
      release() {
        lockedHere.delete(dir);
        if (ownerOf(path) !== process.pid) return;
        try {
          unlinkSync(path);
        } catch {
          // Already gone: nothing to release.
        }
      },
    };
  }
  throw new OpsError(`could not lock the data dir ${dir}: its lock file keeps changing; is another relay starting?`);
}
