import type { PostPacer } from './pacer';

/** The same rules in memory, for the local relay (one process) and tests. */
export class MemoryPacer implements PostPacer {
  private readonly nextFree = new Map<string, number>();
  private readonly pauses = new Map<string, number>();

  constructor(private readonly now: () => number = Date.now) {}

  async reserve(destination: string, intervalMs: number, latestStart: number): Promise<number | undefined> {
    const slot = Math.max(this.now(), this.nextFree.get(destination) ?? 0);
    if (slot > latestStart) return undefined;
    this.nextFree.set(destination, slot + intervalMs);
    return slot;
  }

  async holdUntil(destination: string, until: number, rateLimited = false): Promise<void> {
    this.nextFree.set(destination, Math.max(until, this.nextFree.get(destination) ?? 0));
    if (rateLimited) this.pauses.set(destination, Math.max(until, this.pauses.get(destination) ?? 0));
  }

  async pausedUntil(destination: string): Promise<number> {
    return this.pauses.get(destination) ?? 0;
  }
}
