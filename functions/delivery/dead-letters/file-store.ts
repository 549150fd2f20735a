import { appendFile, mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DeadLetter, DeadLetterSink } from './dead-letter';

/** Local dead letters: one JSON line per letter in `<dataDir>/dead-letters/<destination>.jsonl`. */
export class FileDeadLetterStore implements DeadLetterSink {
  private readonly folder: string;

  constructor(dataDir: string) {
    this.folder = join(dataDir, 'dead-letters');
  }

  async put(letter: DeadLetter): Promise<void> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    // The body holds PHI: the file is readable by its owner only.
    await appendFile(this.fileOf(letter.destination), `${JSON.stringify(letter)}\n`, { mode: 0o600 });
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

  private fileOf(destination: string): string {
    return join(this.folder, `${destination}.jsonl`);
  }
}
