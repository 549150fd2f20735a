import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { archiveDirOf } from '../archive';
import { repairTornTail, tornNote } from '../files';
import { quarantineFileOf } from '../ingest';
import { deadLetterFilesOf } from '../delivery';
import type { Logger } from '../observability';
import { lockDataDir, type DataDirLock } from './data-dir-lock';

/** Every file of the data dir a crash may have torn, besides the journal (which repairs its own). */
function appendedFiles(dataDir: string): string[] {
  const archive = archiveDirOf(dataDir);
  const list = (dir: string) => {
    try {
      return readdirSync(dir, { withFileTypes: true });
    } catch {
      return [];
    }
  };
  const archived = list(archive)
    .filter((d) => d.isDirectory() && d.name.startsWith('dt='))
    .flatMap((d) => list(join(archive, d.name)).map((f) => join(archive, d.name, f.name)))
    .filter((path) => path.endsWith('.jsonl'));
  return [quarantineFileOf(dataDir), ...deadLetterFilesOf(dataDir), ...archived];
}

/**
 * Takes the data dir for this relay (one writer per dir), then repairs the last line of each file a crash may
 * have torn, keeping the torn bytes in `<file>.torn`.
 *
 * @throws DataDirInUseError when another running relay holds it
 */
export function openDataDir(dataDir: string, logger: Logger): DataDirLock {
  const lock = lockDataDir(dataDir);
  try {
    for (const path of appendedFiles(dataDir)) {
      if (repairTornTail(path) > 0) logger.log('warn', tornNote(path));
    }
  } catch (error) {
    lock.release();
    throw error;
  }
  return lock;
}
