import { type ChatView, isDigestView, isHealthNotice, isReportView } from '../alerts';
import { type AlertSender, DeliveryError } from '../chat';
import type { Logger } from '../observability';
import type { LocalJournal } from './journal';

/** The events a post shows: a digest's, an alert's own; none for notices and reports, which are not journaled. */
function eventKeysOf(view: ChatView): readonly string[] {
  if (isHealthNotice(view) || isReportView(view)) return [];
  return isDigestView(view) ? view.eventKeys : [view.key];
}

/**
 * A sender that journals each post of alerts before sending it and its outcome as soon as it is answered. A
 * destination has at most MAX_IN_FLIGHT prompt and MAX_SLOW_POSTS slow posts under way (delivery's send gate), so
 * after a crash at most those have an intent without an outcome: the restart sends those events again marked as possible repeats, and every other
 * event either shows as posted (skipped) or was certainly not posted (sent again, unmarked).
 */
export function journaledSender(
  destination: string,
  sender: AlertSender,
  journal: LocalJournal,
  logger: Logger,
): AlertSender {
  return {
    kind: sender.kind,
    ...(sender.verb !== undefined ? { verb: sender.verb } : {}),
    async send(view) {
      const keys = eventKeysOf(view);
      if (keys.length === 0) return sender.send(view);
      // Not sent unless the intent is on disk: a post the journal does not know of could repeat unmarked.
      await journal.sending(destination, keys);
      try {
        await sender.send(view);
      } catch (error) {
        // An HTTP answer means the platform refused the post; a timeout or a broken connection may hide a post.
        if (error instanceof DeliveryError && error.status !== undefined) {
          void journal.unsent(destination, keys).catch(() => undefined);
        }
        throw error;
      }
      // Posted. Not awaited: the next post's intent is flushed with it (the journal writes lines in order), so a post
      // sent after this reply never goes out before this outcome is on disk, and a post costs one flush, not two. A failure to
      // write it must not read as a failed send, which would post it again.
      void Promise.all(keys.map((key) => journal.settle(destination, key, 'posted'))).catch((error: unknown) =>
        logger.log('error', 'posted, but the outcome was not written to the journal; it may repeat after a restart', {
          destination,
          count: keys.length,
          errorName: error instanceof Error ? error.name : typeof error,
        }),
      );
    },
  };
}
