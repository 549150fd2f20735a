import { messageKeyOf, messageThreadKey } from '../../chat';
import { reasonOf } from '../error-reason';
import { inPool, STORE_CONCURRENCY, settleUnposted, type BatchRun, type Claimed } from './run';

/** The claimed events split: those to plan as usual, and those to post on their own into their message's thread. */
export interface FollowUpSplit {
  readonly planned: Claimed[];
  readonly threaded: Claimed[];
}

/**
 * In Slack app mode, an event about a message the destination already alerted about goes into that alert's thread,
 * on its own (never folded into a digest). An event the destination's routes do not ask for (a `delivered` admitted
 * only as a follow-up) is posted only so; without a thread it is confirmed, counted (`FollowUpsDropped`) and given
 * the outcome `dropped`. When threads cannot be read, routed events are planned as usual and the rest dropped.
 */
export async function splitFollowUps(run: BatchRun, claimed: readonly Claimed[]): Promise<FollowUpSplit> {
  const followUps = run.deps.followUps;
  if (!followUps || claimed.length === 0) return { planned: [...claimed], threaded: [] };
  const threaded = new Set<Claimed>();
  await inPool(claimed, STORE_CONCURRENCY, async (item) => {
    if (item.event.test === true) return;
    const key = messageKeyOf(item.event);
    if (key === undefined) return;
    try {
      if (await followUps.threads.get(run.destination, messageThreadKey(key))) threaded.add(item);
    } catch (error) {
      run.logger.log('warn', 'thread not read; the alert starts a new one', {
        destination: run.destination,
        eventKey: item.event.key,
        reason: reasonOf(error),
      });
    }
  });
  const planned: Claimed[] = [];
  const dropped: Claimed[] = [];
  for (const item of claimed) {
    if (threaded.has(item)) continue;
    if (followUps.routed(item.event)) planned.push(item);
    else dropped.push(item);
  }
  if (dropped.length > 0) await settleDropped(run, dropped);
  return { planned, threaded: claimed.filter((item) => threaded.has(item)) };
}

async function settleDropped(run: BatchRun, items: readonly Claimed[]): Promise<void> {
  await settleUnposted(run, items, 'dropped', 'no_thread');
  run.metric('FollowUpsDropped', items.length);
  run.logger.log('info', 'follow-ups without a thread dropped', { destination: run.destination, count: items.length });
}
