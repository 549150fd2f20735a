import { appendFile, mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeadLetter, DeadLetterSink } from './dead-letter';

/** Local dead letters: one JSON line per letter in `<dataDir>/dead-letters/<destination>.jsonl`. */
export class FileDeadLetterStore implements DeadLetterSink {
  private readonly folder: string;
  /** Writes one at a time, so that a move never rewrites a file while a letter is being appended to it. */
  private writes: Promise<unknown> = Promise.resolve();

  constructor(dataDir: string) {
    this.folder = join(dataDir, 'dead-letters');
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
    for (const file of files) {
      const text = await readFile(join(this.folder, file), 'utf8');
      for (const line of text.split('\n')) if (line.trim()) letters.push(JSON.parse(line) as DeadLetter);
    }
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
      const kept: string[] = [];
      for (const line of text.split('\n')) {
        if (!line.trim()) continue;
        const letter = JSON.parse(line) as DeadLetter;
        if (select(letter)) moved.push(letter);
        else kept.push(line);
      }
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
