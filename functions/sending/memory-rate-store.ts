import { join } from 'node:path';
import { JsonFile } from '../files';
import type { RateAlertState, RateStore, VersionedAlert } from './rate-store';
import { addCounts, NO_COUNTS, type RateCounts } from './rate-window';

interface Stored {
  /** domain → bucket → counts and expiry. */
  buckets: Record<string, Record<string, { counts: RateCounts; expiresAtMs: number }>>;
  alerts: Record<string, { state?: RateAlertState; version: number }>;
}

/**
 * The local relay's rate store: in memory, and, with a data dir, in `<dataDir>/rates.json` a moment after every
 * burst of changes and when the relay stops, so a restart keeps the window and the alerts that fire.
 */
export class MemoryRateStore implements RateStore {
  private readonly stored: Stored;
  private readonly file?: JsonFile<Stored>;

  constructor(
    dataDir?: string,
    private readonly now: () => number = Date.now,
  ) {
    if (dataDir !== undefined)
      this.file = new JsonFile(join(dataDir, 'rates.json'), () => ({ buckets: {}, alerts: {} }));
    this.stored = this.file?.read() ?? { buckets: {}, alerts: {} };
  }

  async add(senderDomain: string, bucket: number, counts: RateCounts, expiresAtMs: number): Promise<RateCounts> {
    const domain = this.stored.buckets[senderDomain] ?? {};
    this.stored.buckets[senderDomain] = domain;
    const known = domain[String(bucket)];
    const sum = addCounts(known?.counts ?? NO_COUNTS, counts);
    domain[String(bucket)] = { counts: sum, expiresAtMs };
    this.prune();
    this.file?.writeSoon(() => this.stored);
    return sum;
  }

  async read(senderDomain: string, buckets: readonly number[]): Promise<RateCounts> {
    const domain = this.stored.buckets[senderDomain] ?? {};
    return buckets.reduce((sum, b) => addCounts(sum, domain[String(b)]?.counts ?? NO_COUNTS), NO_COUNTS);
  }

  async alertOf(senderDomain: string): Promise<VersionedAlert> {
    return this.stored.alerts[senderDomain] ?? { version: 0 };
  }

  async saveAlert(senderDomain: string, state: RateAlertState | undefined, version: number): Promise<boolean> {
    const known = this.stored.alerts[senderDomain] ?? { version: 0 };
    if (known.version !== version) return false;
    this.stored.alerts[senderDomain] = { ...(state ? { state } : {}), version: version + 1 };
    this.file?.writeSoon(() => this.stored);
    return true;
  }

  /** Writes what is still waiting (the relay calls it when it stops). */
  flush(): void {
    this.file?.flush();
  }

  /** Sender domains with counts or a firing alert: what a periodic check looks at. */
  domains(): string[] {
    return [...new Set([...Object.keys(this.stored.buckets), ...Object.keys(this.stored.alerts)])];
  }

  /** Buckets past their expiry are forgotten, as DynamoDB's TTL does. */
  private prune(): void {
    const now = this.now();
    for (const [domain, buckets] of Object.entries(this.stored.buckets)) {
      for (const [bucket, { expiresAtMs }] of Object.entries(buckets)) if (expiresAtMs < now) delete buckets[bucket];
      if (Object.keys(buckets).length === 0) delete this.stored.buckets[domain];
    }
  }
}
