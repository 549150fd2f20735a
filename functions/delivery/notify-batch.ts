import { claimEvents } from './notify/claim';
import { settleCopies } from './notify/copies';
import { decodeRecords } from './notify/decode';
import { decodeQueuedEvent } from '../paubox';
import { enrichPosts } from './notify/enrich';
import { splitFollowUps } from './notify/follow-ups';
import type { BatchOutcome, QueuedRecord } from './notify/ledger';
import { postMessages, splitMessages } from './notify/messages';
import { openDestination, planBatchPosts } from './notify/post';
import { startRun } from './notify/run';
import { holdSilenced } from './notify/silence';
import { tryPosts } from './notify/try-post';
import type { NotifyDeps } from './notify/deps';
import type { PlannedPost } from '../alerts';
import type { Claimed } from './notify/run';

export type {
  DigestOptions,
  FollowUps,
  NotifierMetric,
  NotifyDelivery,
  NotifyDeps,
  NotifyDestination,
  NotifyEnrichment,
  NotifyObservability,
  NotifyPlatform,
  NotifyStores,
} from './notify/deps';
export type { BatchOutcome, QueuedRecord, RecordOutcome, RecordResult } from './notify/ledger';
export type { PacingOptions } from './paced-sender';

/**
 * Posts a batch of records, exactly once per destination and event: claim every event → group them into posts
 * (lone alerts, or digests when `digest` is set) → look up why and how often failures happened (`enrichment`,
 * best effort, bounded in time) → try each post once, several under way at once, paced by `pacing` → confirm every
 * event of a post that went out, or release those of one that certainly did not. A post that fails steps aside:
 * handed back with its backoff, it holds none of the others, but the later events of its messages wait behind it. A record that can never be
 * posted goes to the dead letters with its reason at once, event by event; one that may succeed later is handed
 * back to the queue, and dead-lettered on its last receive. Nothing is dropped: every record ends posted (alone
 * or in a digest), a known duplicate, dead-lettered, or retried, and the ledger holds each to one outcome.
 *
 * Messages queued among the events are posted each on its own, by the same claims, sends and settlements
 * (notify/messages.ts): relay health notices before the events, deliverability reports after them.
 *
 * A redelivered batch may hold events already posted: their claims answer `done` and they are skipped, so a
 * digest never counts an event twice; events another invocation holds (`busy`) are handed back, not posted.
 */
export async function notifyBatch(records: readonly QueuedRecord[], deps: NotifyDeps): Promise<BatchOutcome> {
  const run = startRun(records, deps);
  const batch = splitMessages(records);
  await postMessages(run, batch, 'before');
  const decoded = await decodeRecords(run, batch.events, decodeQueuedEvent);
  const claimed = await holdSilenced(run, await claimEvents(run, decoded));
  const { threaded, planned, following } = await splitFollowUps(run, claimed);
  const toPost = [...threaded, ...planned, ...following];
  const destination = toPost.length > 0 ? await openDestination(run, toPost) : undefined;
  if (destination) {
    const single = (item: Claimed): PlannedPost<Claimed> => ({ kind: 'single', items: [item] });
    const plannedPosts = await planBatchPosts(run, planned, destination.sender);
    const posts = [...threaded.map(single), ...plannedPosts, ...following.map(single)];
    const extras = await enrichPosts(run, posts, destination.fingerprintKey);
    await tryPosts(run, destination, posts, extras);
  }
  settleCopies(run, decoded);
  await postMessages(run, batch, 'after');
  const outcome = run.ledger.close();
  if (outcome.failedIds.length > 0) run.metric('AlertsDeferred', outcome.failedIds.length);
  return outcome;
}
