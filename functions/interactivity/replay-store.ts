import { join } from 'node:path';
import { JsonFile } from '../files';

/**
 * The signatures of interactivity requests already acted on, each kept until its request would be refused as stale
 * anyway: a request sent twice (by an attacker who captured it, or a proxy) is acted on once.
 */
export interface ReplayStore {
  /** Remembers `signature` until `expiresAtMs`; false when it was already remembered (a replay). */
  remember(signature: string, expiresAtMs: number): Promise<boolean>;
}

interface Stored {
  /** signature → when it may be forgotten (ms). */
  seen: Record<string, number>;
}

/** Most requests a local relay keeps at once: far beyond what people clicking in one channel send in 10 minutes. */
const MAX_KEPT = 10_000;

/**
 * The local relay's replay store: in memory and, with a data dir, in `<dataDir>/slack-signatures.json`, written
 * before the request is acted on, so a restart in between does not let a replay through.
 */
export class FileReplayStore implements ReplayStore {
  private readonly seen: Map<string, number>;
  private readonly file?: JsonFile<Stored>;

  constructor(
    dataDir: string | undefined,
    private readonly now: () => number = Date.now,
  ) {
    if (dataDir !== undefined) this.file = new JsonFile(join(dataDir, 'slack-signatures.json'), () => ({ seen: {} }));
    this.seen = new Map(Object.entries(this.file?.read().seen ?? {}));
  }

  async remember(signature: string, expiresAtMs: number): Promise<boolean> {
    const now = this.now();
    for (const [known, until] of this.seen) if (until <= now) this.seen.delete(known);
    const until = this.seen.get(signature);
    if (until !== undefined) return false;
    if (this.seen.size >= MAX_KEPT) this.seen.delete(this.seen.keys().next().value!);
    this.seen.set(signature, expiresAtMs);
    this.file?.write({ seen: Object.fromEntries(this.seen) });
    return true;
  }
}
