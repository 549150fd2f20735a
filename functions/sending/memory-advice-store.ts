import { join } from 'node:path';
import {
  type Advice,
  type AdviceSettings,
  type AdviceStore,
  adviceOf,
  bounceEntry,
  bouncesWithin,
  MAX_BOUNCES_KEPT,
} from './advice';
import { JsonFile } from '../files';

interface Stored {
  /** fingerprint → bounce entries (`<seconds>:<event key>`). */
  bounces: Record<string, string[]>;
  advice: Record<string, Advice>;
}

/**
 * The local relay's advice: in memory, and with a data dir in `<dataDir>/advice.json` a moment after each burst
 * (fingerprints, times, counts and recipient domains; never an address), so `suppressions --local` reads it and a
 * restart keeps it.
 */
export class MemoryAdviceStore implements AdviceStore {
  private readonly file?: JsonFile<Stored>;
  private readonly stored: Stored;

  constructor(
    private readonly settings: AdviceSettings,
    dataDir?: string,
  ) {
    if (dataDir !== undefined)
      this.file = new JsonFile(join(dataDir, 'advice.json'), () => ({ bounces: {}, advice: {} }));
    this.stored = this.file?.read() ?? { bounces: {}, advice: {} };
  }

  async record(fingerprint: string, eventKey: string, atMs: number, recipientDomain: string) {
    const entries = new Set(this.stored.bounces[fingerprint] ?? []);
    entries.add(bounceEntry(eventKey, atMs));
    const kept = [...entries].sort().slice(-MAX_BOUNCES_KEPT);
    this.stored.bounces[fingerprint] = kept;
    const result = adviceOf(fingerprint, recipientDomain, kept, atMs, this.settings, this.stored.advice[fingerprint]);
    if (result.advice) this.stored.advice[fingerprint] = result.advice;
    this.file?.writeSoon(() => this.pruned(atMs));
    return result;
  }

  /** Writes what is still waiting (the relay calls it when it stops). */
  flush(): void {
    this.file?.flush();
  }

  /** What is kept: bounces within the window, and recipients with advice; the others are forgotten. */
  private pruned(nowMs: number): Stored {
    for (const [fingerprint, entries] of Object.entries(this.stored.bounces)) {
      const within = bouncesWithin(entries, nowMs, this.settings.windowMs);
      if (within.length > 0 || this.stored.advice[fingerprint]) this.stored.bounces[fingerprint] = within;
      else delete this.stored.bounces[fingerprint];
    }
    return this.stored;
  }

  /** Every advice: from the file when there is one (the CLI reads what a running relay wrote). */
  async list(): Promise<Advice[]> {
    return Object.values(this.file?.read().advice ?? this.stored.advice);
  }
}
