import { join } from 'node:path';
import type { SilenceMatch } from '../alerts';
import { JsonFile } from '../files';
import { newSilenceId, type Silence } from './silence';

/**
 * Where silences live: a file in the data dir locally (shared by the relay and the CLI), the relay's table deployed.
 * Notifiers read them cached for at most a minute.
 */
export interface SilenceStore {
  /** Every silence kept, the ended ones too (until their end messages are out and they expire). */
  list(): Promise<Silence[]>;
  add(fields: { match: SilenceMatch; reason: string; forMs: number; nowMs: number }): Promise<Silence>;
  /** Ends a silence now; undefined when there is no such silence or it had already ended. */
  end(id: string, nowMs: number): Promise<Silence | undefined>;
  /** Adds to what a silence hid at `destination`: `<event type> <recipient domain>` → count. */
  hid(id: string, destination: string, counts: Readonly<Record<string, number>>): Promise<void>;
  /** Marks a silence's end messages as queued; true only for the first caller. */
  announce(id: string): Promise<boolean>;
}

/** How long a notifier may keep the list of silences before reading it again. */
export const SILENCE_CACHE_MS = 60_000;

/** Ended silences are kept this long after their end, so `silence list` shows what they hid. */
export const ENDED_KEPT_MS = 7 * 86_400_000;

/**
 * The local store: `<dataDir>/silences.json`, read afresh for every call and written whole, so the relay and a
 * `silence add --local` in another terminal see each other's changes at once.
 */
export class FileSilenceStore implements SilenceStore {
  private readonly file: JsonFile<{ silences: Silence[] }>;

  constructor(dataDir: string) {
    this.file = new JsonFile(join(dataDir, 'silences.json'), () => ({ silences: [] }));
  }

  async list(): Promise<Silence[]> {
    return this.file.read().silences;
  }

  async add(fields: { match: SilenceMatch; reason: string; forMs: number; nowMs: number }): Promise<Silence> {
    const silence: Silence = {
      id: newSilenceId(),
      match: fields.match,
      reason: fields.reason,
      createdAt: new Date(fields.nowMs).toISOString(),
      endsAt: new Date(fields.nowMs + fields.forMs).toISOString(),
      hidden: {},
    };
    this.update(fields.nowMs, (all) => [...all, silence]);
    return silence;
  }

  async end(id: string, nowMs: number): Promise<Silence | undefined> {
    let ended: Silence | undefined;
    this.update(nowMs, (all) =>
      all.map((s) => {
        if (s.id !== id || s.endedAt !== undefined || Date.parse(s.endsAt) <= nowMs) return s;
        ended = { ...s, endedAt: new Date(nowMs).toISOString() };
        return ended;
      }),
    );
    return ended;
  }

  async hid(id: string, destination: string, counts: Readonly<Record<string, number>>): Promise<void> {
    this.update(undefined, (all) =>
      all.map((s) => {
        if (s.id !== id) return s;
        const here = { ...s.hidden[destination] };
        for (const [key, n] of Object.entries(counts)) here[key] = (here[key] ?? 0) + n;
        return { ...s, hidden: { ...s.hidden, [destination]: here } };
      }),
    );
  }

  async announce(id: string): Promise<boolean> {
    let first = false;
    this.update(undefined, (all) =>
      all.map((s) => {
        if (s.id !== id || s.announced) return s;
        first = true;
        return { ...s, announced: true };
      }),
    );
    return first;
  }

  /** Read, change and write in one synchronous step; with `nowMs`, silences ended long ago are dropped. */
  private update(nowMs: number | undefined, change: (all: Silence[]) => Silence[]): void {
    const kept = change(this.file.read().silences).filter(
      (s) => nowMs === undefined || !s.announced || Date.parse(s.endedAt ?? s.endsAt) > nowMs - ENDED_KEPT_MS,
    );
    this.file.write({ silences: kept });
  }
}
