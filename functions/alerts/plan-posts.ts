import { categoryOf } from './digest-view';
import type { RelayEvent } from '../paubox';

/**
 * Turns a batch of events into the chat posts that will show them: during a bounce storm, one digest per
 * group instead of one message per event. Pure: what is posted, claimed and confirmed is decided by
 * delivery/notify-batch.ts.
 */

/** One chat post: a lone alert, or a digest of every item. */
export interface PlannedPost<T> {
  readonly kind: 'single' | 'digest';
  readonly items: readonly T[];
}

export interface PlanOptions {
  /** Groups of at least this many events become one digest; smaller ones are posted event by event. */
  readonly minGroupSize: number;
  /**
   * Most posts the batch may take (the destination's rate limit times the time left, or a readable number).
   * When grouping by sender domain needs more, events are grouped by category alone.
   */
  readonly maxPosts: number;
  /**
   * Events whose lone alerts are held back while a bounce-rate alert fires for their sender domain: a group made
   * only of them always becomes a digest, however small (`rates.inhibit`).
   */
  readonly inhibited?: (event: RelayEvent) => boolean;
}

/** Beyond this many posts from one batch, a channel stops being readable: group more coarsely. */
export const MAX_POSTS_PER_BATCH = 10;

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): T[][] {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return [...groups.values()];
}

function postsOf<T>(
  groups: readonly T[][],
  minGroupSize: number,
  folded: (items: readonly T[]) => boolean,
): PlannedPost<T>[] {
  return groups.flatMap((items): PlannedPost<T>[] =>
    items.length >= minGroupSize || folded(items)
      ? [{ kind: 'digest', items }]
      : items.map((item) => ({ kind: 'single', items: [item] })),
  );
}

/**
 * Groups events by category (failures, deliveries, opens) and sender domain, in order of first appearance.
 * A group of `minGroupSize` or more becomes one digest, a smaller one is posted event by event. If that takes
 * more than `maxPosts`, events are grouped by category alone; if still too many, every category group of two or
 * more becomes a digest. Every item is in exactly one post.
 */
export function planPosts<T>(
  items: readonly T[],
  eventOf: (item: T) => RelayEvent,
  options: PlanOptions,
): PlannedPost<T>[] {
  const category = (item: T): string => categoryOf(eventOf(item).type);
  const { inhibited } = options;
  const folded = (group: readonly T[]) => inhibited !== undefined && group.every((item) => inhibited(eventOf(item)));
  const fine = postsOf(
    groupBy(items, (item) => `${category(item)} ${eventOf(item).senderDomain}`),
    options.minGroupSize,
    folded,
  );
  if (fine.length <= options.maxPosts) return fine;
  const byCategory = groupBy(items, category);
  const coarse = postsOf(byCategory, options.minGroupSize, folded);
  return coarse.length <= options.maxPosts ? coarse : postsOf(byCategory, 2, folded);
}
