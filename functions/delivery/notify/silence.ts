import { recipientFingerprint } from '../../alerts';
import { hiddenKey, isActive, type Silence, silences } from '../../sending';
import { reasonOf } from '../error-reason';
import { settleUnposted, type BatchRun, type Claimed } from './run';

/**
 * Holds back the claimed events that an active silence matches: each is confirmed (so a redelivery does not post
 * it), counted in what the silence hid at this destination, and given the outcome `silenced`. Returns the events
 * still to post. Without silences, or when they cannot be read, every event is posted: a silence never loses an
 * alert that it cannot account for.
 */
export async function holdSilenced(run: BatchRun, claimed: readonly Claimed[]): Promise<Claimed[]> {
  const source = run.deps.silences;
  if (!source || claimed.length === 0) return [...claimed];
  let active: Silence[];
  try {
    active = (await source.list()).filter((s) => isActive(s, run.now()));
  } catch (error) {
    run.logger.log('warn', 'silences not read; every alert is posted', {
      destination: run.destination,
      reason: reasonOf(error),
    });
    return [...claimed];
  }
  if (active.length === 0) return [...claimed];
  const key = active.some((s) => s.match.fingerprint !== undefined) ? await fingerprintKey(run) : undefined;
  const toPost: Claimed[] = [];
  const held = new Map<Silence, Claimed[]>();
  for (const item of claimed) {
    const { event } = item;
    const fingerprints = () => (key === undefined ? [] : event.recipients.map((r) => recipientFingerprint(r, key)));
    const silence = event.test === true ? undefined : active.find((s) => silences(s.match, event, fingerprints));
    if (silence) held.set(silence, [...(held.get(silence) ?? []), item]);
    else toPost.push(item);
  }
  for (const [silence, items] of held) await settleSilenced(run, silence, items);
  return toPost;
}

async function fingerprintKey(run: BatchRun): Promise<string | undefined> {
  try {
    return await run.deps.platform.fingerprintKey();
  } catch {
    // Fingerprint silences then match nothing: their events are posted.
    return undefined;
  }
}

async function settleSilenced(run: BatchRun, silence: Silence, items: readonly Claimed[]): Promise<void> {
  const counts: Record<string, number> = {};
  for (const { event } of items) {
    const k = hiddenKey(event.type, event.recipientDomains[0]);
    counts[k] = (counts[k] ?? 0) + 1;
  }
  await run.deps.silences!.hid(silence.id, run.destination, counts).catch((error: unknown) =>
    run.logger.log('warn', 'silenced alerts not counted; the end message will show fewer', {
      destination: run.destination,
      reason: reasonOf(error),
      count: items.length,
    }),
  );
  await settleUnposted(run, items, 'silenced', silence.id);
  run.metric('AlertsSilenced', items.length);
  run.logger.log('info', 'alerts silenced', { destination: run.destination, reason: silence.id, count: items.length });
}
