import { appendFileSync, closeSync, fsyncSync, mkdirSync, openSync, renameSync, writeSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { DEDUP_RETENTION_SECONDS, type FinalState } from '../delivery';
import { readJsonLinesSync, repairTornTail, tornNote } from '../files';
import { decodeQueuedEvent, type RelayEvent } from '../paubox';

/**
 * The local relay's durable queue: an append-only file under the data dir (`journal.jsonl`). An accepted event is
 * written and fsync'd before the webhook is answered 202; each destination's outcome for it is written after.
 * At start the events some destination still waits for are replayed, and the outcomes seed the de-duplication
 * store, so a restart loses no alert. Chat webhooks take no idempotency key, so a post is journaled before it is
 * sent (`sending`) and its outcome as soon as it is answered: a restart knows which posts may have gone out (at
 * most the one in flight per destination) and marks their alerts as possible repeats. Appends are
 * group-committed: one write and one fdatasync cover every line queued meanwhile, so durability does not cost one
 * disk flush per webhook. Lines it cannot read are skipped, counted and kept aside in `journal.jsonl.unreadable`.
 * Every accepted event is journaled, routed or not, and kept until its archive line, written after the 202, is on
 * disk (`archived`): a crash before that archives it at the next start. The file holds events as the deployed queues do (recipients, subject): it is created readable by its owner only.
 */

/** One line of the journal. */
type Line =
  | { readonly t: 'accepted'; readonly event: RelayEvent; readonly to: readonly string[] }
  | {
      readonly t: 'settled';
      readonly to: string;
      readonly key: string;
      readonly state: FinalState;
      readonly at: number;
    }
  /** A post is about to be sent to `to` showing these events (`sending`), or was answered without being shown. */
  | { readonly t: 'sending' | 'unsent'; readonly to: string; readonly keys: readonly string[] }
  /** The event's archive line is on disk. */
  | { readonly t: 'archived'; readonly key: string };

/** An event and the destinations that still wait for it. */
export interface JournalEntry {
  readonly event: RelayEvent;
  readonly destinations: readonly string[];
  /** Those of `destinations` whose post was on its way when the relay stopped: it may already show the event. */
  readonly mayRepeat: readonly string[];
}

export interface JournalOptions {
  /** @default Date.now */
  readonly now?: () => number;
  /** Rewrite the file once this many lines were appended since the last rewrite. @default 20,000 */
  readonly compactAfterLines?: number;
  /** Told once when lines were skipped at open (`skipped 1 unreadable line in …`). */
  readonly warn?: (message: string) => void;
}

export const JOURNAL_FILE = 'journal.jsonl';

const pairKey = (destination: string, key: string): string => `${destination}\n${key}`;

export class LocalJournal {
  /** Events not yet settled by every destination they were routed to, in the order they came. */
  private readonly waiting = new Map<string, { event: RelayEvent; destinations: Set<string> }>();
  private readonly settled = new Map<string, { state: FinalState; at: number }>();
  /** Pairs (destination, event key) whose post was sent, or about to be, with no outcome written yet. */
  private readonly inFlight = new Set<string>();
  /** Events accepted whose archive line is not known to be on disk, by key. */
  private readonly unarchived = new Map<string, RelayEvent>();
  private queue: { line: string; done: () => void; failed: (error: unknown) => void }[] = [];
  private flushing: Promise<void> | undefined;
  private linesSinceCompaction = 0;
  private closed = false;

  private constructor(
    private readonly path: string,
    private handle: FileHandle,
    private readonly now: () => number,
    private readonly compactAfterLines: number,
  ) {}

  /**
   * Reads the journal (a torn last line, from a crash mid-write, is moved to `journal.jsonl.torn`; other lines it
   * cannot read are skipped and kept aside), compacts it and opens it.
   */
  static async open(dataDir: string, options: JournalOptions = {}): Promise<LocalJournal> {
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    const path = join(dataDir, JOURNAL_FILE);
    if (repairTornTail(path) > 0) options.warn?.(tornNote(path));
    const read = readJsonLinesSync(path, journalLine, options.warn ? { warn: options.warn } : {});
    // The rewrite below drops what it cannot read: keep those lines where someone can look at them.
    if (read.skipped > 0) appendFileSync(`${path}.unreadable`, `${read.unreadable.join('\n')}\n`, { mode: 0o600 });
    const now = options.now ?? Date.now;
    const placeholder = undefined as unknown as FileHandle;
    const journal = new LocalJournal(path, placeholder, now, options.compactAfterLines ?? 20_000);
    for (const line of read.records) journal.apply(line);
    journal.rewrite();
    journal.handle = await open(path, 'a', 0o600);
    return journal;
  }

  /** What the destinations still wait for, oldest first. */
  pending(): JournalEntry[] {
    return [...this.waiting.values()].map(({ event, destinations }) => ({
      event,
      destinations: [...destinations],
      mayRepeat: [...destinations].filter((to) => this.inFlight.has(pairKey(to, event.key))),
    }));
  }

  /** Alerts still to go out: one per event and destination waiting for it. */
  pendingCount(): number {
    let count = 0;
    for (const { destinations } of this.waiting.values()) count += destinations.size;
    return count;
  }

  /** Outcomes remembered for de-duplication (posted or dead-lettered), by destination and event key. */
  outcomes(): { destination: string; key: string; state: FinalState }[] {
    return [...this.settled.entries()].map(([pair, { state }]) => {
      const [destination, key] = pair.split('\n') as [string, string];
      return { destination, key, state };
    });
  }

  /** Events accepted whose archive line was not written (a crash came first, or the write failed), oldest first. */
  toArchive = (): RelayEvent[] => [...this.unarchived.values()];

  /** Records that the event's archive line is on disk; written with the next flush, which nothing waits for. */
  archived(key: string): void {
    if (!this.closed) this.append({ t: 'archived', key }).catch(() => undefined);
  }

  /** Resolves once the event is on disk (fsync'd): only then may the webhook be answered 202. */
  accept(event: RelayEvent, destinations: readonly string[], redriven = false): Promise<void> {
    const accepted = this.append({ t: 'accepted', event, to: destinations });
    // A redriven event was archived when it first came.
    if (redriven) this.archived(event.key);
    return accepted;
  }

  /** Records a destination's final outcome for an event; resolves once it is on disk. */
  settle(destination: string, key: string, state: FinalState): Promise<void> {
    return this.append({ t: 'settled', to: destination, key, state, at: this.now() });
  }

  /**
   * Records that a post showing these events is about to be sent to a destination; resolves once it is on disk.
   * Until their outcomes are written, a restart treats the post as possibly sent.
   */
  sending(destination: string, keys: readonly string[]): Promise<void> {
    return this.append({ t: 'sending', to: destination, keys });
  }

  /** Records that the post of {@link sending} was refused, so certainly not shown; resolves once on disk. */
  unsent(destination: string, keys: readonly string[]): Promise<void> {
    return this.append({ t: 'unsent', to: destination, keys });
  }

  /** Writes what is queued, compacts the file and closes it. */
  async close(): Promise<void> {
    await this.flush();
    this.closed = true;
    await this.handle.close();
    this.rewrite();
  }

  private append(line: Line): Promise<void> {
    if (this.closed) return Promise.reject(new Error('the journal is closed'));
    this.apply(line);
    return new Promise<void>((done, failed) => {
      this.queue.push({ line: `${JSON.stringify(line)}\n`, done, failed });
      this.startFlushing();
    });
  }

  private startFlushing(): void {
    if (this.flushing) return;
    this.flushing = this.flushLoop().finally(() => {
      this.flushing = undefined;
      // Lines queued after the loop's last look (between its end and this callback) still need a round.
      if (this.queue.length > 0) this.startFlushing();
    });
  }

  private async flush(): Promise<void> {
    while (this.flushing) await this.flushing;
  }

  /** One write and one fdatasync per round, covering every line queued meanwhile. */
  private async flushLoop(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue;
      this.queue = [];
      try {
        this.linesSinceCompaction += batch.length;
        if (this.linesSinceCompaction >= this.compactAfterLines) {
          // The state already holds these lines: the rewritten file replaces appending them.
          await this.handle.close();
          this.rewrite();
          this.handle = await open(this.path, 'a', 0o600);
        } else {
          await this.handle.write(batch.map((b) => b.line).join(''));
          await this.handle.datasync();
        }
        for (const b of batch) b.done();
      } catch (error) {
        for (const b of batch) b.failed(error);
      }
    }
  }

  /** Applies a line, read back and checked ({@link journalLine}) or just written, to the state. */
  private apply(line: Line): void {
    if (line.t === 'archived') {
      this.unarchived.delete(line.key);
    } else if (line.t === 'accepted') {
      this.unarchived.set(line.event.key, line.event);
      const entry = this.waiting.get(line.event.key) ?? { event: line.event, destinations: new Set<string>() };
      for (const to of line.to) if (!this.settled.has(pairKey(to, line.event.key))) entry.destinations.add(to);
      if (entry.destinations.size > 0) this.waiting.set(line.event.key, entry);
    } else if (line.t === 'settled') {
      const pair = pairKey(line.to, line.key);
      this.settled.set(pair, { state: line.state, at: line.at });
      this.inFlight.delete(pair);
      const entry = this.waiting.get(line.key);
      entry?.destinations.delete(line.to);
      if (entry?.destinations.size === 0) this.waiting.delete(line.key);
    } else if (line.t === 'sending') {
      for (const key of line.keys)
        if (!this.settled.has(pairKey(line.to, key))) this.inFlight.add(pairKey(line.to, key));
    } else {
      for (const key of line.keys) this.inFlight.delete(pairKey(line.to, key));
    }
  }

  /**
   * Replaces the file with the state: the events still waiting and the outcomes young enough to matter for
   * de-duplication. Written to a temporary file, fsync'd and renamed, so a crash leaves the old or the new file.
   */
  private rewrite(): void {
    const horizon = this.now() - DEDUP_RETENTION_SECONDS * 1000;
    const lines: string[] = [];
    for (const [pair, outcome] of this.settled) {
      if (outcome.at < horizon) {
        this.settled.delete(pair);
        continue;
      }
      const [to, key] = pair.split('\n') as [string, string];
      lines.push(JSON.stringify({ t: 'settled', to, key, state: outcome.state, at: outcome.at } satisfies Line));
    }
    for (const event of this.unarchived.values()) {
      if (!this.waiting.has(event.key)) lines.push(JSON.stringify({ t: 'accepted', event, to: [] } satisfies Line));
    }
    for (const { event, destinations } of this.waiting.values()) {
      lines.push(JSON.stringify({ t: 'accepted', event, to: [...destinations] } satisfies Line));
      if (!this.unarchived.has(event.key)) lines.push(JSON.stringify({ t: 'archived', key: event.key } satisfies Line));
      for (const to of destinations) {
        if (this.inFlight.has(pairKey(to, event.key))) {
          lines.push(JSON.stringify({ t: 'sending', to, keys: [event.key] } satisfies Line));
        }
      }
    }
    const temporary = `${this.path}.tmp`;
    const fd = openSync(temporary, 'w', 0o600);
    try {
      writeSync(fd, lines.length > 0 ? `${lines.join('\n')}\n` : '');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, this.path);
    // The rename itself is durable only once the folder is.
    const dir = openSync(dirname(this.path), 'r');
    try {
      fsyncSync(dir);
    } finally {
      closeSync(dir);
    }
    this.linesSinceCompaction = 0;
  }
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isTextList = (value: unknown): value is string[] => Array.isArray(value) && value.every(isText);

/** A journal line as read back: one of its shapes, with every field checked; else undefined (skipped). */
function journalLine(value: Record<string, unknown>): Line | undefined {
  if (value.t === 'accepted') {
    const event = decodeQueuedEvent(JSON.stringify(value.event));
    return event && isTextList(value.to) ? { t: 'accepted', event, to: value.to } : undefined;
  }
  if (value.t === 'settled') {
    const { to, key, state, at } = value;
    const known = state === 'posted' || state === 'dead';
    return isText(to) && isText(key) && known && typeof at === 'number'
      ? { t: 'settled', to, key, state, at }
      : undefined;
  }
  if (value.t === 'archived' && isText(value.key)) return { t: 'archived', key: value.key };
  if ((value.t === 'sending' || value.t === 'unsent') && isText(value.to) && isTextList(value.keys)) {
    return { t: value.t, to: value.to, keys: value.keys };
  }
  return undefined;
}
