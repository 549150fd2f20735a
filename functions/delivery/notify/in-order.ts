import type { RelayEvent } from '../../paubox';

/**
 * What ties an event to the message and recipients it is about: an alert and a later follow-up of it (a temporary
 * failure, then the permanent one; delivered, then opened) must reach the channel in that order. Events of one
 * message to other recipients are not follow-ups of each other. Held in memory only, never logged.
 */
export function messageOf(event: Pick<RelayEvent, 'key' | 'sourceTrackingId' | 'messageId' | 'recipients'>): string {
  const message = event.messageId || event.sourceTrackingId;
  return message ? `${message}\n${event.recipients.join('\n')}` : event.key;
}

/** What became of a post, as the posts behind it need to know. */
export interface Settled {
  /** Some of its events were handed back to the queue. */
  readonly handedBack: boolean;
  /** Not visible again before this long (its backoff, or a Retry-After). */
  readonly notBeforeMs?: number | undefined;
  /** Not sent, nor settled: a 429 paused the destination; its batch plans it again with what else waited. */
  readonly paused?: boolean;
}

/**
 * Runs every post at once (the sender bounds how many are under way), except that a post waits for the earlier
 * posts that show one of its messages. `work` is told when one of those was handed back: the post is then handed
 * back too, unsent, no earlier than it, so that an alert waiting for its retry is never overtaken by its follow-up;
 * or when one was paused: the post is paused too, and planned again after it.
 */
export async function inMessageOrder<P>(
  posts: readonly P[],
  messagesOf: (post: P) => readonly string[],
  work: (post: P, ahead: Settled | undefined) => Promise<Settled>,
): Promise<void> {
  const last = new Map<string, Promise<Settled>>();
  const all: Promise<Settled>[] = [];
  for (const post of posts) {
    const messages = [...new Set(messagesOf(post))];
    const before = [...new Set(messages.map((m) => last.get(m)).filter((p) => p !== undefined))];
    const task = Promise.all(before).then((settled) => work(post, aheadOf(settled)));
    for (const message of messages) last.set(message, task);
    all.push(task);
  }
  await Promise.all(all);
}

/** The posts ahead, as one: handed back if any was, not before the latest of them. */
function aheadOf(settled: readonly Settled[]): Settled | undefined {
  if (settled.some((s) => s.paused)) return { handedBack: false, paused: true };
  const back = settled.filter((s) => s.handedBack);
  if (back.length === 0) return settled.length > 0 ? { handedBack: false } : undefined;
  const delays = back.map((s) => s.notBeforeMs).filter((ms) => ms !== undefined);
  return { handedBack: true, ...(delays.length > 0 ? { notBeforeMs: Math.max(...delays) } : {}) };
}
