import { messageKeyOf, messageThreadKey } from '../../chat';
import { reasonOf } from '../error-reason';
import { inPool, STORE_CONCURRENCY, settleUnposted, type BatchRun, type Claimed } from './run';

/**
 * The claimed events split: those to post on their own into their message's thread, those to plan as usual, and
 * follow-ups about a message whose first alert is among the planned, posted on their own after them.
 */
export interface FollowUpSplit {
  readonly threaded: Claimed[];
  readonly planned: Claimed[];
  readonly following: Claimed[];
}

/**
 * In Slack app mode, an event about a message the destination already alerted about goes into that alert's thread,
 * on its own (never folded into a digest). An event the destination's routes do not ask for (a `delivered` admitted
 * only as a follow-up) is posted only so, into a thread that exists or that an alert of this batch starts; without
 * one it is confirmed, counted (`FollowUpsDropped`) and given the outcome `dropped`. When threads cannot be read, routed events are planned as usual and the rest dropped.
 */
export async function splitFollowUps(run: BatchRun, claimed: readonly Claimed[]): Promise<FollowUpSplit> {
  const followUps = run.deps.followUps;
  if (!followUps || claimed.length === 0) return { threaded: [], planned: [...claimed], following: [] };
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
  const open = claimed.filter((item) => !threaded.has(item));
  const planned = open.filter((item) => followUps.routed(item.event));
  const alerted = new Set(planned.map((item) => messageKeyOf(item.event)));
  const rest = open.filter((item) => !followUps.routed(item.event));
  const follows = (item: Claimed): boolean => {
    const key = messageKeyOf(item.event);
    return key !== undefined && alerted.has(key);
  };
  const following = rest.filter(follows);
  const dropped = rest.filter((item) => !follows(item));
  if (dropped.length > 0) await settleDropped(run, dropped);
  return { threaded: claimed.filter((item) => threaded.has(item)), planned, following };
}

async function settleDropped(run: BatchRun, items: readonly Claimed[]): Promise<void> {
  await settleUnposted(run, items, 'dropped', 'no_thread');
  run.metric('FollowUpsDropped', items.length);
  run.logger.log('info', 'follow-ups without a thread dropped', { destination: run.destination, count: items.length });
}
