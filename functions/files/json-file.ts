import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * A small JSON state file of the local relay's data dir (rate counters, silences, advice): read once at start,
 * written whole to a temporary file and renamed, so a crash leaves the old or the new file, never half of one.
 * `write` is synchronous (a CLI that ends next relies on it); `writeSoon` gathers the changes of a burst into one
 * write a moment later, and `flush` writes what is still waiting (on close).
 */
export class JsonFile<T> {
  private pending: (() => T) | undefined;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly path: string,
    private readonly empty: () => T,
  ) {}

  /** The file's content, or the empty value when there is no file yet. A file that is not JSON is an error. */
  read(): T {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return this.empty();
      throw error;
    }
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new Error(`${this.path} is not valid JSON: fix or remove it (the relay starts a new one)`);
    }
  }

  /** Writes `value()` within `delayMs`, once for every change made meanwhile. */
  writeSoon(value: () => T, delayMs = 250): void {
    this.pending = value;
    this.timer ??= setTimeout(() => this.flush(), delayMs).unref();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const value = this.pending;
    this.pending = undefined;
    if (value) this.write(value());
  }

  write(value: T): void {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = `${this.path}.${process.pid}.tmp`;
    // Flushed before the rename: otherwise a machine crash can leave the new name on an empty file.
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, `${JSON.stringify(value)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
  }
}
