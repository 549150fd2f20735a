import { CHAT_KINDS, type ChatKind, PLATFORMS } from '../../chat';

/**
 * Rate limiting of chat posts per destination, shared by every notifier that posts to it.
 *
 * Each post reserves a send slot first: the destination's next free instant, at least one interval after the
 * previous reservation. Reservations are made atomically in a shared store, so two notifier invocations running
 * at once (the SQS event source runs up to two) each get their own slot and never post within one interval of
 * each other. A 429 pushes the next free slot back by its Retry-After, for every notifier.
 */
export interface PostPacer {
  /**
   * Reserves the destination's next send slot, `intervalMs` after the one before, and returns when it starts
   * (epoch ms); or undefined, reserving nothing, when it would start after `latestStart`.
   */
  reserve(destination: string, intervalMs: number, latestStart: number): Promise<number | undefined>;
  /**
   * No post to this destination before `until` (epoch ms): after a reply, or a 429's Retry-After (`rateLimited`),
   * which is also kept as the destination's pause.
   */
  holdUntil(destination: string, until: number, rateLimited?: boolean): Promise<void>;
  /** When the destination's last 429 pause ends or ended (epoch ms); 0 when none is known. */
  pausedUntil?(destination: string): Promise<number>;
}

/** Posts per second when a destination's configuration sets none: its platform's (chat/platforms.ts). */
export const DEFAULT_MESSAGES_PER_SECOND = Object.fromEntries(
  CHAT_KINDS.map((kind) => [kind, PLATFORMS[kind].messagesPerSecond]),
) as Readonly<Record<ChatKind, number>>;

/**
 * Slots are this much longer than the rate asks: a post reaches the platform after a network delay that varies,
 * so two posts sent one bare interval apart can arrive closer together than the platform allows.
 */
export const PACING_MARGIN = 0.1;

/** The time between two send slots at `messagesPerSecond`, margin included. */
export function intervalMsOf(messagesPerSecond: number): number {
  return Math.ceil((1000 / messagesPerSecond) * (1 + PACING_MARGIN));
}
