import { mkdir, open, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { appendDurably, readJsonLines } from '../files';
import { type AuditRecord, auditLine, auditRecordOf } from './audit-record';
import type { Logger } from '../observability';
import type { RelayEvent } from '../paubox';
import { archiveLine, partitionDay, toArchiveRecord, type ArchiveOptions } from './record';

/** Where an archive keeps its lines, given the local data dir. */
export const archiveDirOf = (dataDir: string): string => join(dataDir, 'archive');

/**
 * JSON lines under `<dir>/dt=YYYY-MM-DD/<prefix>-<n>.jsonl`, laid out as the deployed bucket is (one partition per
 * UTC day). Each writer takes a file of its own per day (`n` is the first number free), so two relays sharing a data
 * dir never interleave lines; appends are chained, so lines of one writer never do either. Appends are
 * group-committed: one write and one fdatasync per day file cover every line queued meanwhile.
 */
class DayFiles {
  private readonly files = new Map<string, Promise<string>>();
  /** Lines waiting for the write under way; they go out together in the next one, in order. */
  private queue: { day: string; line: string; resolve(): void; reject(error: unknown): void }[] = [];
  private writing = false;

  /**
   * @param gatherMs how long each write waits for more lines first: behind a journal, whose fsync is what accepts an
   *   event, a burst then costs the disk one archive flush per `gatherMs`, not one per journal flush.
   */
  constructor(
    private readonly dir: string,
    private readonly prefix: string,
    private readonly gatherMs = 0,
  ) {}

  /** Appends a line to the file of `at`'s day; resolves once it is on disk. */
  append(line: string, at: Date): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ day: partitionDay(at), line, resolve, reject });
      if (!this.writing) void this.writeQueued();
    });
  }

  /** One append per day file for every line queued meanwhile: a burst costs a few writes, not one per event. */
  private async writeQueued(): Promise<void> {
    this.writing = true;
    while (this.queue.length > 0) {
      if (this.gatherMs > 0) await new Promise((resolve) => setTimeout(resolve, this.gatherMs));
      const batch = this.queue;
      this.queue = [];
      for (const day of new Set(batch.map((item) => item.day))) {
        const items = batch.filter((item) => item.day === day);
        try {
          await appendDurably(await this.fileFor(day), items.map((item) => item.line).join(''));
          for (const item of items) item.resolve();
        } catch (error) {
          for (const item of items) item.reject(error);
        }
      }
    }
    this.writing = false;
  }

  private fileFor(day: string): Promise<string> {
    let file = this.files.get(day);
    if (!file) {
      file = claimFile(join(this.dir, `dt=${day}`), this.prefix);
      // A failed claim is tried again on the next line rather than remembered.
      file.catch(() => this.files.delete(day));
      this.files.set(day, file);
    }
    return file;
  }
}

/**
 * The local archive: one line per event at the archive's detail level, in `events-<n>.jsonl` day files. The local
 * relay writes an event's line after its 202, from its journal, which keeps the event until the line is on disk.
 */
export class FileArchive {
  private readonly files: DayFiles;

  /** @param gatherMs see DayFiles */
  constructor(
    dir: string,
    private readonly options: ArchiveOptions,
    private readonly now: () => Date = () => new Date(),
    gatherMs = 0,
  ) {
    this.files = new DayFiles(dir, 'events', gatherMs);
  }

  /** Appends the event at the archive's detail level; resolves once the line is written. */
  append(event: RelayEvent): Promise<void> {
    const at = this.now();
    return this.files.append(archiveLine(toArchiveRecord(event, this.options, at)), at);
  }
}

/** Where the local archive keeps what people did from chat, beside (not among) the events the reports read. */
export const auditDirOf = (archiveDir: string): string => join(archiveDir, 'audit');

/** The local audit trail: one line per action taken from chat, in `actions-<n>.jsonl` day files under `audit/`. */
export class FileAuditLog {
  private readonly files: DayFiles;

  constructor(private readonly archiveDir: string) {
    this.files = new DayFiles(auditDirOf(archiveDir), 'actions');
  }

  append(record: AuditRecord): Promise<void> {
    return this.files.append(auditLine(record), new Date(record.at));
  }

  /** The lines kept, oldest first, for the inspector; unreadable lines are skipped. */
  async list(): Promise<AuditRecord[]> {
    const dir = auditDirOf(this.archiveDir);
    const days = (await readdir(dir).catch(() => [] as string[])).filter((d) => d.startsWith('dt=')).sort();
    const records: AuditRecord[] = [];
    for (const day of days) {
      const files = (await readdir(join(dir, day))).filter((f) => f.endsWith('.jsonl')).sort();
      for (const file of files) records.push(...(await readJsonLines(join(dir, day, file), auditRecordOf)).records);
    }
    return records.sort((a, b) => a.at.localeCompare(b.at));
  }
}

async function claimFile(folder: string, prefix: string): Promise<string> {
  // Lines may hold addresses (detail recipient/full): readable by the owner only.
  await mkdir(folder, { recursive: true, mode: 0o700 });
  for (let n = 0; ; n++) {
    const path = join(folder, `${prefix}-${n}.jsonl`);
    try {
      await (await open(path, 'wx', 0o600)).close();
      // The new file's name is durable once its folder is: flushed lines in a file a crash unnamed would be lost.
      const dir = await open(folder, 'r');
      await dir.sync().finally(() => dir.close());
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
}

/**
 * Archives an event without holding up its alerts: a failure is logged as an error (never silent) and the event
 * still goes on to its destinations. Resolves with whether the line was written.
 */
export async function archiveEvent(
  archive: Pick<FileArchive, 'append'>,
  event: RelayEvent,
  logger: Logger,
): Promise<boolean> {
  try {
    await archive.append(event);
    return true;
  } catch (error) {
    logger.log('error', 'event not archived', {
      eventKey: event.key,
      eventType: event.type,
      reason: (error as NodeJS.ErrnoException).code ?? (error as Error).name,
    });
    return false;
  }
}
