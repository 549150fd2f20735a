import type { EventExtras, PlannedPost } from '../../alerts';
import { refusesDestination } from '../broken-destination';
import { inMessageOrder, messageOf, type Settled } from './in-order';
import { type OpenDestination, sendPost, viewOf } from './post';
import type { BatchRun, Claimed } from './run';
import { settlePost } from './settle';

const messagesOf = (post: PlannedPost<Claimed>): string[] => post.items.map((item) => messageOf(item.event));

/**
 * Runs the posts one batch planned, several under way at once, each event's later posts behind its earlier ones
 * (in-order.ts).
 */
export async function tryPosts(
  run: BatchRun,
  destination: OpenDestination,
  posts: readonly PlannedPost<Claimed>[],
  extras: ReadonlyMap<string, EventExtras>,
): Promise<Settled[]> {
  const settled: Settled[] = [];
  await inMessageOrder(posts, messagesOf, async (post, ahead) => {
    const result = await tryPost(run, destination, post, extras, ahead);
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
): Promise<Settled> {
  const view = viewOf(run, post, destination.fingerprintKey, extras);
  const { outcome, durationMs } = await sendPost(run, destination.sender, post, view, ahead);
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
    const each = await tryPosts(run, destination, alone, extras);
    const delays = each.map((s) => s.notBeforeMs).filter((ms) => ms !== undefined);
    return {
      handedBack: each.some((s) => s.handedBack),
      notBeforeMs: delays.length > 0 ? Math.max(...delays) : undefined,
    };
  }
  await settlePost(run, post, view, outcome, { durationMs, verb: destination.sender.verb });
  const handedBack = post.items.some((item) => run.ledger.outcomeOf(item.record).result === 'retry');
  return { handedBack, notBeforeMs: outcome.kind === 'retry_later' ? outcome.notBeforeMs : undefined };
}
