import { readdirSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readJsonLine, readJsonLines, skippedNote, type ReadOptions } from '../../files';
import type { DeadLetter, DeadLetterSink } from './dead-letter';

const deadLettersDirOf = (dataDir: string): string => join(dataDir, 'dead-letters');

/** Every destination's dead-letter file in a data dir. */
export function deadLetterFilesOf(dataDir: string): string[] {
  const folder = deadLettersDirOf(dataDir);
  try {
    return readdirSync(folder)
      .filter((f) => f.endsWith('.jsonl'))
      .map((f) => join(folder, f));
  } catch {
    return [];
  }
}

const isText = (value: unknown): value is string => typeof value === 'string';

/** A dead-letter line as read back, its fields checked; else skipped. */
function letterOf(value: Record<string, unknown>): DeadLetter | undefined {
  const { destination, eventKey, eventType, reason, failedAt, body, status } = value;
  const texts = [destination, eventKey, eventType, reason, failedAt, body].every(isText);
  return texts && (status === undefined || typeof status === 'number') ? (value as unknown as DeadLetter) : undefined;
}

/**
 * Local dead letters: one JSON line per letter in `<dataDir>/dead-letters/<destination>.jsonl`. Lines that cannot
 * be read are skipped and counted when listing, and left where they are when letters are moved out.
 */
export class FileDeadLetterStore implements DeadLetterSink {
  private readonly folder: string;
  /** Writes one at a time, so that a move never rewrites a file while a letter is being appended to it. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(
    dataDir: string,
    private readonly options: ReadOptions = {},
  ) {
    this.folder = deadLettersDirOf(dataDir);
  }

  async put(letter: DeadLetter): Promise<void> {
    await this.serially(async () => {
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      // The body holds PHI: the file is readable by its owner only.
      await appendFile(this.fileOf(letter.destination), `${JSON.stringify(letter)}\n`, { mode: 0o600 });
    });
  }

  async list(destination?: string): Promise<DeadLetter[]> {
    let files: string[];
    try {
      files = (await readdir(this.folder)).filter((f) => f.endsWith('.jsonl'));
    } catch {
      return [];
    }
    if (destination !== undefined) files = files.filter((f) => f === `${destination}.jsonl`);
    const letters: DeadLetter[] = [];
    for (const file of files)
      letters.push(...(await readJsonLines(join(this.folder, file), letterOf, this.options)).records);
    return letters;
  }

  /**
   * Takes a destination's letters that `select` picks out of the store: hands them to `deliver` first, then removes
   * them, so a failure in between leaves a letter twice (which de-duplication absorbs), never lost.
   *
   * @returns the letters moved
   */
  async move(
    destination: string,
    select: (letter: DeadLetter) => boolean,
    deliver: (letters: readonly DeadLetter[]) => void,
  ): Promise<DeadLetter[]> {
    return this.serially(async () => {
      const file = this.fileOf(destination);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        return [];
      }
      const moved: DeadLetter[] = [];
      // Lines it cannot read stay in the file as and where they were: moving letters out never loses them.
      const kept: string[] = [];
      let skipped = 0;
      for (const line of text.split('\n')) {
        if (line.trim() === '') continue;
        const letter = readJsonLine(line, letterOf);
        if (letter !== undefined && select(letter)) moved.push(letter);
        else kept.push(line);
        if (letter === undefined) skipped++;
      }
      if (skipped > 0) this.options.warn?.(skippedNote(skipped, file));
      if (moved.length === 0) return [];
      deliver(moved);
      const next = `${file}.${process.pid}.tmp`;
      await writeFile(next, kept.map((line) => `${line}\n`).join(''), { mode: 0o600 });
      await rename(next, file);
      return moved;
    });
  }

  private serially<T>(work: () => Promise<T>): Promise<T> {
    const run = this.writes.then(work, work);
    this.writes = run.catch(() => undefined);
    return run;
  }

  private fileOf(destination: string): string {
    return join(this.folder, `${destination}.jsonl`);
  }
}
