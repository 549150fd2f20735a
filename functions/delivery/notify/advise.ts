import { type AdvisedRecipient, recipientFingerprint } from '../../alerts';
import type { RelayEvent } from '../../paubox';
import type { AdviceStore } from '../../sending';
import { reasonOf } from '../error-reason';
import type { NotifyEnrichment } from './deps';
import type { BatchRun } from './run';

/**
 * The lookups that record a hard bounce's recipients in the advice store: one per recipient, each telling `found`
 * when the recipient has now bounced often enough to stop sending to it, and announcing a new advice once.
 */
export function adviceTasks(
  run: BatchRun,
  advice: NonNullable<NotifyEnrichment['advice']>,
  event: RelayEvent,
  atMs: number,
  fingerprintKey: string,
  found: (advised: AdvisedRecipient) => void,
): (() => Promise<void>)[] {
  const store: Pick<AdviceStore, 'record'> = advice.store;
  return event.recipients.map((recipient) => async () => {
    const fingerprint = recipientFingerprint(recipient, fingerprintKey);
    const domain = recipient.slice(recipient.lastIndexOf('@') + 1).toLowerCase() || 'unknown';
    try {
      const result = await store.record(fingerprint, event.key, atMs, domain);
      if (!result.advice) return;
      found({ fingerprint, count: result.advice.count, windowDays: advice.windowDays });
      if (result.isNew) {
        run.logger.log('info', 'advised to stop sending to a recipient', {
          destination: run.destination,
          eventKey: event.key,
          count: result.advice.count,
        });
        await advice.onNew?.(result.advice);
      }
    } catch (error) {
      run.logger.log('warn', 'hard bounce not recorded for advice; alert sent without it', {
        destination: run.destination,
        eventKey: event.key,
        reason: reasonOf(error),
      });
    }
  });
}
