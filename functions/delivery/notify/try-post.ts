import type { EventExtras, PlannedPost } from '../../alerts';
import { refusesDestination } from '../broken-destination';
import { inMessageOrder, messageOf, type Settled } from './in-order';
import { RATE_LIMIT_PAUSE } from '../retry';
import { type OpenDestination, planBatchPosts, sendPost, viewOf } from './post';
import type { BatchRun, Claimed } from './run';
import { settlePost } from './settle';

const messagesOf = (post: PlannedPost<Claimed>): string[] => post.items.map((item) => messageOf(item.event));

/**
 * Runs the posts one batch planned, several under way at once, each event's later posts behind its earlier ones
 * (in-order.ts). Posts whose turn comes while a 429 pauses the destination are not sent: once the others are done,
 * they are planned again together, as a backlog (post.ts), and go out after the pause, in as few posts as that
 * makes, rather than each on its own slot where each could meet another 429. They are not handed back to the
 * queue: that would spend one of their receives, their tries.
 */
export async function tryPosts(
  run: BatchRun,
  destination: OpenDestination,
  posts: readonly PlannedPost<Claimed>[],
  extras: ReadonlyMap<string, EventExtras>,
): Promise<Settled[]> {
  const settled = await tryEach(run, destination, posts, extras, true);
  const paused = settled.flatMap((s) => s.pausedItems);
  if (paused.length === 0) return settled;
  const order = new Map(posts.flatMap((post) => post.items).map((item, i) => [item, i]));
  paused.sort((a, b) => order.get(a)! - order.get(b)!);
  const again = await planBatchPosts(run, paused, destination.sender);
  return [...settled, ...(await tryEach(run, destination, again, extras, false))];
}

type Tried = Settled & { readonly pausedItems: readonly Claimed[] };

async function tryEach(
  run: BatchRun,
  destination: OpenDestination,
  posts: readonly PlannedPost<Claimed>[],
  extras: ReadonlyMap<string, EventExtras>,
  stepAside: boolean,
): Promise<Tried[]> {
  const settled: Tried[] = [];
  await inMessageOrder(posts, messagesOf, async (post, ahead) => {
    const result = await tryPost(run, destination, post, extras, ahead, stepAside);
    settled.push(result);
    return result;
  });
  return settled;
}

/**
 * Makes one try of a post and settles its events. A post that fails steps aside (handed back with its backoff):
 * the others do not wait for it. A digest refused for good for what it holds (not a webhook that is gone: 403, 404,
 * 410) is tried again at once event by event, since the refusal may be about one of them: only an event refused
 * itself becomes a dead letter.
 */
async function tryPost(
  run: BatchRun,
  destination: OpenDestination,
  post: PlannedPost<Claimed>,
  extras: ReadonlyMap<string, EventExtras>,
  ahead: Settled | undefined,
  stepAside: boolean,
): Promise<Tried> {
  const view = viewOf(run, post, destination.fingerprintKey, extras);
  const { outcome, durationMs } = await sendPost(run, destination.sender, post, view, ahead, stepAside);
  if (outcome.kind === 'retry_later' && outcome.reason === RATE_LIMIT_PAUSE && outcome.attempts === 0) {
    return { handedBack: false, paused: true, pausedItems: post.items };
  }
  const refusedContent = outcome.kind === 'dead' && outcome.attempts > 0 && !refusesDestination(outcome.status);
  if (refusedContent && post.kind === 'digest' && post.items.length > 1) {
    run.logger.log('warn', 'digest refused; its events are tried again one by one', {
      destination: run.destination,
      digestKey: view.key,
      count: post.items.length,
      reason: outcome.reason,
      status: outcome.status,
    });
    const alone = post.items.map((item): PlannedPost<Claimed> => ({ kind: 'single', items: [item] }));
    const each = await tryEach(run, destination, alone, extras, false);
    const delays = each.map((s) => s.notBeforeMs).filter((ms) => ms !== undefined);
    const notBeforeMs = delays.length > 0 ? Math.max(...delays) : undefined;
    return { handedBack: each.some((s) => s.handedBack), notBeforeMs, pausedItems: [] };
  }
  await settlePost(run, post, view, outcome, { durationMs, verb: destination.sender.verb });
  const handedBack = post.items.some((item) => run.ledger.outcomeOf(item.record).result === 'retry');
  const notBeforeMs = outcome.kind === 'retry_later' ? outcome.notBeforeMs : undefined;
  return { handedBack, notBeforeMs, pausedItems: [] };
}
