import type { PlannedPost, ChatView } from '../../alerts';
import type { SendVerb } from '../../chat';
import type { LogFields } from '../../observability';
import { reasonOf } from '../error-reason';
import type { DeliveryOutcome } from '../retry';
import { deadLetter, handBack } from './hand-back';
import { inPool, STORE_CONCURRENCY, type BatchRun, type Claimed } from './run';

type Outcome<K extends DeliveryOutcome['kind']> = Extract<DeliveryOutcome, { kind: K }>;

/** What the events of one post became: posted and confirmed, dead-lettered, or handed back with their claims. */
export async function settlePost(
  run: BatchRun,
  post: PlannedPost<Claimed>,
  view: ChatView,
  outcome: DeliveryOutcome,
  sent: { readonly durationMs: number; readonly verb: SendVerb },
): Promise<void> {
  const digestKey = post.kind === 'digest' ? view.key : undefined;
  switch (outcome.kind) {
    case 'posted':
      return settlePosted(run, post, digestKey, outcome, sent);
    case 'dead':
      return settleDead(run, post, outcome);
    case 'retry_later':
      return settleRetryLater(run, post, digestKey, outcome);
  }
}

const logFields = (run: BatchRun, item: Claimed): LogFields => ({
  destination: run.destination,
  eventKey: item.event.key,
  eventType: item.event.type,
});

async function settlePosted(
  run: BatchRun,
  post: PlannedPost<Claimed>,
  digestKey: string | undefined,
  outcome: Outcome<'posted'>,
  { durationMs, verb }: { readonly durationMs: number; readonly verb: SendVerb },
): Promise<void> {
  const { destination, logger, metric, now } = run;
  const { attempts, rateLimited, unconfirmed } = outcome;
  const count = post.items.length;
  await inPool(post.items, STORE_CONCURRENCY, async (item) => {
    await run.deps.stores.dedup.confirm(destination, item.event.key, 'posted').catch((error: unknown) =>
      logger.log('warn', 'posted, but the de-duplication record was not updated', {
        ...logFields(run, item),
        reason: reasonOf(error),
      }),
    );
    run.ledger.record(item.record, {
      id: item.record.id,
      eventKey: item.event.key,
      result: 'posted',
      unconfirmed,
      attempts,
      rateLimited,
      ...(digestKey !== undefined ? { digestKey } : {}),
    });
  });
  metric(unconfirmed ? 'AlertsUnconfirmed' : 'AlertsPosted', count);
  // Only a confirmed post has a known acceptance time. One value per post: for a digest, its oldest event's
  // delay, which is what the delay alarm (on the maximum) is about. Unreadable or future times are skipped.
  if (!unconfirmed) {
    const delays = post.items.map((item) => now() - Date.parse(item.event.time)).filter(Number.isFinite);
    if (delays.length > 0) metric('EndToEndDelay', Math.max(0, ...delays));
  }
  const level = unconfirmed ? 'warn' : 'info';
  if (digestKey === undefined) {
    logger.log(level, unconfirmed ? 'alert sent, reply timed out; not resent' : `${verb} alert`, {
      ...logFields(run, post.items[0]!),
      attempt: attempts,
      durationMs,
    });
    return;
  }
  metric('DigestsPosted', 1);
  metric('DigestEvents', count);
  logger.log(level, unconfirmed ? 'digest sent, reply timed out; not resent' : `${verb} digest`, {
    destination,
    digestKey,
    count,
    attempt: attempts,
    durationMs,
  });
  // One line per event, so that any event can be traced to the digest that showed it.
  for (const item of post.items) logger.log('info', `alert ${verb} in digest`, { ...logFields(run, item), digestKey });
}

async function settleDead(run: BatchRun, post: PlannedPost<Claimed>, outcome: Outcome<'dead'>): Promise<void> {
  // An answer of the platform; not a destination already known broken, whose alerts went unsent.
  if (outcome.attempts > 0) run.metric('DestinationBroken', 1);
  await inPool(post.items, STORE_CONCURRENCY, async (item) => {
    await deadLetter(run, item.record, item.event, outcome.reason, outcome, outcome.status);
  });
}

async function settleRetryLater(
  run: BatchRun,
  post: PlannedPost<Claimed>,
  digestKey: string | undefined,
  outcome: Outcome<'retry_later'>,
): Promise<void> {
  let handedBack = 0;
  await inPool(post.items, STORE_CONCURRENCY, async (item) => {
    if ((await handBack(run, item, outcome.reason, outcome)) === 'retry') handedBack++;
  });
  // Those dead-lettered on their last receive have said so: one line per event, the true one.
  if (handedBack === 0) return;
  const single = digestKey === undefined;
  run.logger.log(
    'warn',
    single
      ? 'alert not posted yet; handed back to the queue'
      : 'digest not posted yet; its events are handed back to the queue',
    {
      destination: run.destination,
      ...(single ? { eventKey: post.items[0]!.event.key } : { digestKey, count: handedBack }),
      reason: outcome.reason,
      attempt: outcome.attempts,
      ...(outcome.notBeforeMs !== undefined ? { durationMs: outcome.notBeforeMs } : {}),
    },
  );
}
