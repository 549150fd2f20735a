import type { SilenceEndNotice } from '../alerts';
import type { Logger } from '../observability';
import { endOf, silenceEndNotice } from './silence';
import type { SilenceStore } from './silence-store';

/**
 * Queues each ended silence's end message to every destination where it hid something, once: the silence is marked
 * announced (a conditional write) before anything is queued, so two runs at once queue it once. The local relay
 * runs this on its periodic check, the deployed relay on its scheduled probe.
 */
export async function announceEndedSilences(
  store: Pick<SilenceStore, 'list' | 'announce'>,
  nowMs: number,
  destinations: readonly string[],
  queue: (destination: string, notice: SilenceEndNotice) => Promise<void>,
  logger: Logger,
): Promise<number> {
  let announced = 0;
  for (const silence of await store.list()) {
    if (silence.announced || Date.parse(endOf(silence)) > nowMs) continue;
    if (!(await store.announce(silence.id))) continue;
    // Read again: what it hid until now, the last batch included.
    const ended = (await store.list()).find((s) => s.id === silence.id) ?? silence;
    const notices = destinations.flatMap((name) => {
      const notice = silenceEndNotice(ended, name);
      return notice ? [{ name, notice }] : [];
    });
    await Promise.all(notices.map(({ name, notice }) => queue(name, notice)));
    logger.log('info', 'silence ended', { reason: silence.id, count: notices.length });
    announced++;
  }
  return announced;
}
