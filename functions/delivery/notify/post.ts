import {
  categoryOf,
  planPosts,
  type PlannedPost,
  type EventExtras,
  toAlertView,
  type ChatView,
  toDigestView,
} from '../../alerts';
import type { AlertSender } from '../../chat';
import { DestinationCredentialsError, DestinationUrlError } from '../../config';
import { reasonOf } from '../error-reason';
import { PacedSender } from '../paced-sender';
import { type DeliveryOutcome, RATE_LIMIT_PAUSE } from '../retry';
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
      reason:
        error instanceof DestinationUrlError
          ? `destination URL ${error.message}`
          : error instanceof DestinationCredentialsError
            ? `destination ${error.message}`
            : reason,
      count: claimed.length,
    });
    await inPool(claimed, STORE_CONCURRENCY, async (item) => {
      await handBack(run, item, reason, NOT_TRIED);
    });
    return undefined;
  }
  const { broken, gate, leaveSlowReplies } = deps.delivery;
  const options = {
    destination,
    budget: deps.delivery,
    pacing: deps.pacing,
    now,
    logger,
    metric,
    broken,
    gate,
    leaveSlowReplies,
  };
  return { sender: new PacedSender(sender, options), fingerprintKey };
}

/**
 * A batch is a backlog when a record of it waited this long in its queue before its first receive (the destination
 * is behind: more events than its rate lets out), or when a 429 paused its destination within this long (what
 * accumulated during the pause, and the posts that stepped aside for it).
 */
export const BACKLOG_MS = 1_000;

/**
 * The batch's posts, in the order their events came: lone alerts, or digests when `digest` is set. While a
 * bounce-rate alert fires for a sender domain (`inhibit`), that domain's failures are folded into digests. After a
 * 429's pause (BACKLOG_MS), what accumulated goes out in one post, so it delays the alerts behind it once, not once
 * for each post it would have taken; a batch that waited (the destination is behind) goes out in no more posts than
 * the rate lets out in BACKLOG_MS: one at Slack's pace, lone alerts where the destination may post quickly.
 */
export async function planBatchPosts(
  run: BatchRun,
  claimed: readonly Claimed[],
  sender: PacedSender,
): Promise<PlannedPost<Claimed>[]> {
  const { digest } = run.deps;
  const firing = await firingDomains(run, claimed);
  if (!digest && firing.size === 0) return claimed.map((item) => ({ kind: 'single', items: [item] }));
  const waited = claimed.some(({ record }) => record.receiveCount === 1 && (record.waitedMs ?? 0) >= BACKLOG_MS);
  const paused = await sender.pausedWithin(BACKLOG_MS);
  // No more posts than the rate limit lets out in the time left: events are grouped more coarsely instead.
  return planPosts(claimed, (item) => item.event, {
    minGroupSize: digest?.minGroupSize ?? Number.MAX_SAFE_INTEGER,
    maxPosts: paused ? 1 : waited ? sender.postsWithin(BACKLOG_MS) : sender.maxPosts(),
    ...(firing.size > 0
      ? { inhibited: (e) => categoryOf(e.type) === 'failure' && e.test !== true && firing.has(e.senderDomain) }
      : {}),
  });
}

/** The sender domains of the batch's failures with a bounce-rate alert firing; none when it cannot be told. */
async function firingDomains(run: BatchRun, claimed: readonly Claimed[]): Promise<Set<string>> {
  const { inhibit } = run.deps;
  const firing = new Set<string>();
  if (!inhibit) return firing;
  const domains = new Set(
    claimed.filter((c) => categoryOf(c.event.type) === 'failure').map((c) => c.event.senderDomain),
  );
  for (const domain of domains) {
    try {
      if (await inhibit.firing(domain)) firing.add(domain);
    } catch (error) {
      // Posted as usual: nothing is lost by not folding.
      run.logger.log('warn', 'bounce-rate alert not read; alerts posted as usual', {
        destination: run.destination,
        senderDomain: domain,
        reason: reasonOf(error),
      });
    }
  }
  return firing;
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
 * Makes one try of a post of alerts or a digest, unless an earlier post of its message was handed back (it is then
 * handed back too, unsent) or paused (paused too). Its try number is that of its most received event, its age that
 * of its oldest. With `stepAside`, a post whose turn comes during a 429's pause is given back unsent (paused).
 */
export async function sendPost(
  run: BatchRun,
  sender: PacedSender,
  post: PlannedPost<Claimed>,
  view: ChatView,
  ahead?: Settled,
  stepAside = false,
): Promise<SentPost> {
  if (ahead?.paused) {
    return { outcome: { kind: 'retry_later', attempts: 0, rateLimited: 0, reason: RATE_LIMIT_PAUSE }, durationMs: 0 };
  }
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
  const records = post.items.map((item) => item.record);
  const sentAt = records.map((r) => r.sentAt).filter((at) => at !== undefined);
  const ageMs = sentAt.length > 0 ? Math.max(0, run.now() - Math.min(...sentAt)) : undefined;
  return sendView(run, sender, view, Math.max(...records.map((r) => r.receiveCount)), ageMs, stepAside);
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
  ageMs?: number,
  stepAside = false,
): Promise<SentPost> {
  const { delivery } = run.deps;
  const started = run.now();
  const outcome: DeliveryOutcome =
    delivery.remainingMs() < delivery.sendTimeoutMs
      ? { kind: 'retry_later', attempts: 0, rateLimited: 0, reason: 'out_of_time' }
      : await sender.deliver(view, tryNumber, ageMs, stepAside);
  return { outcome, durationMs: run.now() - started };
}
