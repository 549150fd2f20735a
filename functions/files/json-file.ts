import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'node:fs';
import { open, unlink } from 'node:fs/promises';
import { dirname } from 'node:path';

/**
 * A small JSON state file of the local relay's data dir (rate counters, silences, advice): read once at start,
 * written whole to a temporary file and renamed, so a crash leaves the old or the new file, never half of one.
 * `write` is synchronous (a CLI that ends next relies on it); `writeSoon` gathers the changes of a burst into one
 * write a moment later, flushed off the event loop so that a burst of webhooks never waits for it, and `flush`
 * writes what is still waiting or on its way (on close).
 */
export class JsonFile<T> {
  private pending: (() => T) | undefined;
  private timer: NodeJS.Timeout | undefined;
  /** What the write under way (of `writeSoon`) writes: `flush` writes it again rather than leave it unrenamed. */
  private writing: (() => T) | undefined;
  /** Each write's number: of two, the later one's file is the one renamed into place. */
  private writes = 0;

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
    this.timer ??= setTimeout(() => void this.writeLater(), delayMs).unref();
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    const value = this.pending ?? this.writing;
    this.pending = undefined;
    if (value) this.write(value());
  }

  write(value: T): void {
    this.writing = undefined;
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temporary = this.temporary();
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

  private temporary(): string {
    return `${this.path}.${process.pid}.${++this.writes}.tmp`;
  }

  /** The write of `writeSoon`: the file flushed on the thread pool; renamed unless a later write came meanwhile. */
  private async writeLater(): Promise<void> {
    this.timer = undefined;
    const value = this.pending;
    this.pending = undefined;
    if (!value) return;
    this.writing = value;
    const temporary = this.temporary();
    const mine = this.writes;
    try {
      mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
      const handle = await open(temporary, 'w', 0o600);
      try {
        await handle.writeFile(`${JSON.stringify(value())}\n`);
        await handle.sync();
      } finally {
        await handle.close();
      }
      if (mine === this.writes) renameSync(temporary, this.path);
      else await unlink(temporary);
    } catch {
      // Written at the next change or on close (flush), which throws what stays wrong.
      await unlink(temporary).catch(() => undefined);
      if (mine === this.writes) this.pending ??= value;
    } finally {
      if (mine === this.writes) this.writing = undefined;
    }
  }
}
