/**
 * Repeat-bounce advice: once one recipient (by keyed fingerprint, never the address) hard-bounces `hardBounces`
 * times within `windowMs`, the alert says to stop sending to it and update the address on file, and the advice is
 * kept, so `paubox-relay suppressions` lists it and `paubox-relay fingerprint <address>` finds it.
 */
export interface Advice {
  readonly fingerprint: string;
  /** The recipient's domain (not PHI on its own), to tell lists apart. */
  readonly recipientDomain: string;
  /** First and last hard bounce counted, ISO 8601. */
  readonly firstAt: string;
  readonly lastAt: string;
  /** Hard bounces within the window, at the last one. */
  readonly count: number;
  /** When the advice was first given, ISO 8601. */
  readonly advisedAt: string;
}

export interface AdviceSettings {
  readonly hardBounces: number;
  readonly windowMs: number;
}

/** What recording one hard bounce found: the advice when it applies, and whether it is new. */
export interface AdviceResult {
  readonly advice?: Advice;
  /** True the first time a recipient reaches the threshold: what an automation event announces. */
  readonly isNew: boolean;
}

export interface AdviceStore {
  /**
   * Records hard bounce `eventKey` of `fingerprint` at `atMs` (once, however often it is recorded) and returns the
   * advice if the recipient has now had `hardBounces` within the window.
   */
  record(fingerprint: string, eventKey: string, atMs: number, recipientDomain: string): Promise<AdviceResult>;
  /** Every advice given. */
  list(): Promise<Advice[]>;
}

/** Bounces kept per recipient; beyond it the oldest are dropped (the count needs no more than the threshold). */
export const MAX_BOUNCES_KEPT = 100;

/** One bounce as stored: `<epoch seconds>:<event key>`; the same event always gives the same entry. */
export function bounceEntry(eventKey: string, atMs: number): string {
  return `${Math.floor(atMs / 1000)}:${eventKey.slice(0, 32)}`;
}

const entryMs = (entry: string): number => Number(entry.slice(0, entry.indexOf(':'))) * 1000;

/** The bounces within the window that ends at `atMs`, oldest first. */
export function bouncesWithin(entries: Iterable<string>, atMs: number, windowMs: number): string[] {
  return [...entries]
    .filter((e) => entryMs(e) <= atMs && entryMs(e) > atMs - windowMs)
    .sort((a, b) => entryMs(a) - entryMs(b));
}

/** The advice a recipient's bounces give, given the advice already kept for it. */
export function adviceOf(
  fingerprint: string,
  recipientDomain: string,
  entries: readonly string[],
  atMs: number,
  settings: AdviceSettings,
  known: Advice | undefined,
): AdviceResult {
  const within = bouncesWithin(entries, atMs, settings.windowMs);
  if (within.length < settings.hardBounces) return { ...(known ? { advice: known } : {}), isNew: false };
  const advice: Advice = {
    fingerprint,
    recipientDomain,
    firstAt: known?.firstAt ?? new Date(entryMs(within[0]!)).toISOString(),
    lastAt: new Date(Math.max(atMs, known ? Date.parse(known.lastAt) : 0)).toISOString(),
    count: within.length,
    advisedAt: known?.advisedAt ?? new Date(atMs).toISOString(),
  };
  return { advice, isNew: known === undefined };
}
