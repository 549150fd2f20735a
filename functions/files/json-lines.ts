import { closeSync, fsyncSync, fstatSync, openSync, readFileSync, readSync, ftruncateSync, writeSync } from 'node:fs';
import { open, readFile } from 'node:fs/promises';

/**
 * The JSON-lines files the local relay writes (journal, archive, quarantine, dead letters) read past rot: a line
 * that is not one JSON object of the expected shape (a torn write, NULs from a crash, a BOM, `null`, `[]`, `42`)
 * is skipped and counted, never fatal, and never costs the good lines around it.
 */

/** What reading one file gave: its good records, and how many lines were skipped. */
export interface JsonLines<T> {
  readonly records: T[];
  readonly skipped: number;
  /** The skipped lines as they were, for whoever wants to keep them aside. */
  readonly unreadable: string[];
}

/** Turns a parsed object into a record, or undefined when it is not of the expected shape. */
export type LineShape<T> = (value: Record<string, unknown>) => T | undefined;

/** Any JSON object: for files whose shape the caller checks later. */
export const anyObject: LineShape<Record<string, unknown>> = (value) => value;

export interface ReadOptions {
  /** Told once per file with skipped lines, in words: `skipped 2 unreadable lines in <path>`. */
  readonly warn?: (message: string) => void;
}

/** `skipped 1 unreadable line in <path>`: the one thing said about a file's unreadable lines. */
export function skippedNote(skipped: number, where: string): string {
  return `skipped ${skipped} unreadable line${skipped === 1 ? '' : 's'} in ${where}`;
}

/** The records of a JSON-lines text; blank lines (the final newline among them) are not lines. */
export function parseJsonLines<T>(text: string, shape: LineShape<T>): JsonLines<T> {
  const records: T[] = [];
  const unreadable: string[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const record = readJsonLine(line, shape);
    if (record === undefined) unreadable.push(line);
    else records.push(record);
  }
  return { records, skipped: unreadable.length, unreadable };
}

/** One line read: its record, or undefined when it is not one JSON object of the shape. */
export function readJsonLine<T>(line: string, shape: LineShape<T>): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  try {
    return shape(value as Record<string, unknown>);
  } catch {
    return undefined;
  }
}

function told<T>(read: JsonLines<T>, path: string, options: ReadOptions): JsonLines<T> {
  if (read.skipped > 0) options.warn?.(skippedNote(read.skipped, path));
  return read;
}

/** Reads a JSON-lines file; a missing file has no lines. */
export async function readJsonLines<T>(
  path: string,
  shape: LineShape<T>,
  options: ReadOptions = {},
): Promise<JsonLines<T>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0, unreadable: [] };
    throw error;
  }
  return told(parseJsonLines(text, shape), path, options);
}

/** As {@link readJsonLines}, for start-up code that runs before anything else may touch the file. */
export function readJsonLinesSync<T>(path: string, shape: LineShape<T>, options: ReadOptions = {}): JsonLines<T> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { records: [], skipped: 0, unreadable: [] };
    throw error;
  }
  return told(parseJsonLines(text, shape), path, options);
}

/** The suffix of the file that keeps a file's torn bytes. */
export const TORN_SUFFIX = '.torn';

/** What is said of a file whose torn last line was repaired. */
export const tornNote = (path: string): string =>
  `repaired a torn last line in ${path}; its bytes are kept in ${path}${TORN_SUFFIX}`;

/**
 * Repairs a file whose last line was torn by a crash mid-write: the bytes after its last newline are appended to
 * `<path>.torn` (kept, never lost), then the file is truncated back to its last complete line, so the next append
 * starts a line of its own. Returns how many bytes were moved (0 when the file was whole or missing).
 */
export function repairTornTail(path: string): number {
  let fd: number;
  try {
    fd = openSync(path, 'r+');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
  try {
    const size = fstatSync(fd).size;
    const end = lastNewlineEnd(fd, size);
    if (end === size) return 0;
    const torn = Buffer.alloc(size - end);
    readSync(fd, torn, 0, torn.length, end);
    const keep = openSync(`${path}${TORN_SUFFIX}`, 'a', 0o600);
    try {
      writeSync(keep, Buffer.concat([torn, Buffer.from('\n')]));
      fsyncSync(keep);
    } finally {
      closeSync(keep);
    }
    ftruncateSync(fd, end);
    fsyncSync(fd);
    return torn.length;
  } finally {
    closeSync(fd);
  }
}

/** The offset just past the file's last newline (0 when it has none), read backwards a block at a time. */
function lastNewlineEnd(fd: number, size: number): number {
  const block = Buffer.alloc(64 * 1024);
  let position = size;
  while (position > 0) {
    const length = Math.min(block.length, position);
    position -= length;
    readSync(fd, block, 0, length, position);
    const at = block.subarray(0, length).lastIndexOf(0x0a);
    if (at >= 0) return position + at + 1;
  }
  return 0;
}

/** Appends text and flushes it to disk before resolving: what was answered as kept survives a crash. */
export async function appendDurably(path: string, text: string): Promise<void> {
  const handle = await open(path, 'a', 0o600);
  try {
    await handle.write(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
}
