import { planPosts, type PlannedPost, type EventExtras, toAlertView, type ChatView, toDigestView } from '../../alerts';
import type { AlertSender } from '../../chat';
import { DestinationUrlError } from '../../config';
import { reasonOf } from '../error-reason';
import { PacedSender } from '../paced-sender';
import type { DeliveryOutcome } from '../retry';
import { handBack, NOT_TRIED } from './hand-back';
import type { Settled } from './in-order';
import { inPool, STORE_CONCURRENCY, type BatchRun, type Claimed, type Keyed } from './run';

/** The platform's sender, paced, and the key of the recipients' fingerprints. */
export interface OpenDestination {
  readonly sender: PacedSender;
  readonly fingerprintKey: string;
}

/** Reads the destination's sender and fingerprint key; when either fails, every claimed event is handed back. */
export async function openDestination(
  run: BatchRun,
  claimed: readonly Claimed<Keyed>[],
): Promise<OpenDestination | undefined> {
  const { deps, destination, logger, metric, now } = run;
  let sender: AlertSender;
  let fingerprintKey: string;
  try {
    [sender, fingerprintKey] = await Promise.all([deps.platform.sender(), deps.platform.fingerprintKey()]);
  } catch (error) {
    const reason = reasonOf(error);
    logger.log('warn', 'destination not usable', {
      destination,
      // Says what is wrong with the stored URL, naming at most its host.
      reason: error instanceof DestinationUrlError ? `destination URL ${error.message}` : reason,
      count: claimed.length,
    });
    await inPool(claimed, STORE_CONCURRENCY, async (item) => {
      await handBack(run, item, reason, NOT_TRIED);
    });
    return undefined;
  }
  const { broken, gate } = deps.delivery;
  const options = { destination, budget: deps.delivery, pacing: deps.pacing, now, logger, metric, broken, gate };
  return { sender: new PacedSender(sender, options), fingerprintKey };
}

/** The batch's posts, in the order their events came: lone alerts, or digests when `digest` is set. */
export function planBatchPosts(
  run: BatchRun,
  claimed: readonly Claimed[],
  sender: PacedSender,
): PlannedPost<Claimed>[] {
  const { digest } = run.deps;
  if (!digest) return claimed.map((item) => ({ kind: 'single', items: [item] }));
  // No more posts than the rate limit lets out in the time left: events are grouped more coarsely instead.
  return planPosts(claimed, (item) => item.event, { minGroupSize: digest.minGroupSize, maxPosts: sender.maxPosts() });
}

/** What a post shows, as the destination's detail level allows, with what enrichment found. */
export function viewOf(
  run: BatchRun,
  post: PlannedPost<Claimed>,
  fingerprintKey: string,
  extras: ReadonlyMap<string, EventExtras> = new Map(),
): ChatView {
  const { detail, timeZone } = run.deps.destination;
  const options = { destination: run.destination, detail, fingerprintKey, ...(timeZone ? { timeZone } : {}) };
  const event = post.items[0]!.event;
  if (post.kind === 'single') return toAlertView(event, options, extras.get(event.key));
  return toDigestView(
    post.items.map((item) => item.event),
    options,
    (e) => extras.get(e.key),
  );
}

export interface SentPost {
  readonly outcome: DeliveryOutcome;
  readonly durationMs: number;
}

/** A post behind one handed back: handed back too, unsent, not before it (in-order.ts). */
export const BEHIND_EARLIER_ALERT = 'behind_earlier_alert';

/**
 * Makes one try of a post of alerts or a digest, unless an earlier post of its message was handed back: it is then
 * handed back too, unsent. Its try number is that of its most received event.
 */
export async function sendPost(
  run: BatchRun,
  sender: PacedSender,
  post: PlannedPost<Claimed>,
  view: ChatView,
  ahead?: Settled,
): Promise<SentPost> {
  if (ahead?.handedBack) {
    const notBefore = ahead.notBeforeMs !== undefined ? { notBeforeMs: ahead.notBeforeMs } : {};
    const outcome: DeliveryOutcome = {
      kind: 'retry_later',
      attempts: 0,
      rateLimited: 0,
      reason: BEHIND_EARLIER_ALERT,
      ...notBefore,
    };
    return { outcome, durationMs: 0 };
  }
  return sendView(run, sender, view, Math.max(...post.items.map((item) => item.record.receiveCount)));
}

/**
 * Makes one try of a view, unless too little time is left to finish a send; then it waits for the next receive.
 * To a destination known broken nothing is sent (paced-sender.ts).
 */
export async function sendView(
  run: BatchRun,
  sender: PacedSender,
  view: ChatView,
  tryNumber: number,
): Promise<SentPost> {
  const { delivery } = run.deps;
  const started = run.now();
  const outcome: DeliveryOutcome =
    delivery.remainingMs() < delivery.sendTimeoutMs
      ? { kind: 'retry_later', attempts: 0, rateLimited: 0, reason: 'out_of_time' }
      : await sender.deliver(view, tryNumber);
  return { outcome, durationMs: run.now() - started };
}
