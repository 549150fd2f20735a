import type { RecordOutcome } from '../../delivery';
import type { AttemptReport } from '../observer';
import type { DeliveryState, TimelineKind } from './api-types';

const seconds = (ms: number): string => `${Math.round(ms / 100) / 10} s`;

/** What one send attempt got back, in a few words: "attempt: HTTP 429 rate_limited, asked to wait 2 s". */
export function attemptText(report: AttemptReport): string {
  const { failure } = report;
  if (!failure) return `attempt: accepted in ${report.durationMs} ms`;
  const status = failure.status !== undefined ? `HTTP ${failure.status} ` : '';
  const wait = failure.retryAfterSeconds !== undefined ? `, asked to wait ${failure.retryAfterSeconds} s` : '';
  const why =
    failure.reason === 'timeout'
      ? ' (no reply in time after the request left: most likely posted, so not sent again)'
      : failure.reason === 'network_error'
        ? ' (connection refused or reset)'
        : failure.retryable
          ? ''
          : ' (will not succeed on retry)';
  return `attempt: ${status}${failure.reason}${wait}${why} after ${report.durationMs} ms`;
}

/** The timeline line of a notifier's verdict on one record, and the delivery's state after it. */
export function settledEntry(
  outcome: RecordOutcome,
  redeliverInMs: number | undefined,
  digestCount: number | undefined,
): { kind: TimelineKind; text: string; ok: boolean; state: DeliveryState } {
  const tries = `${outcome.attempts} attempt${outcome.attempts === 1 ? '' : 's'}`;
  switch (outcome.result) {
    case 'posted': {
      const unsure = outcome.unconfirmed ? ' (the reply timed out: most likely posted; not sent again)' : '';
      if (outcome.digestKey !== undefined) {
        const size = digestCount !== undefined ? ` of ${digestCount} events` : '';
        return {
          kind: 'digest',
          text: `folded into digest ${outcome.digestKey}${size}, posted after ${tries}${unsure}`,
          ok: true,
          state: 'posted',
        };
      }
      return { kind: 'posted', text: `posted after ${tries}${unsure}`, ok: true, state: 'posted' };
    }
    case 'silenced':
      return {
        kind: 'silenced',
        text: `held back by silence ${outcome.reason ?? ''}: kept and counted, not posted`,
        ok: true,
        state: 'silenced',
      };
    case 'dropped':
      return {
        kind: 'dropped',
        text: 'not posted: a follow-up this destination receives only into the thread of an alert about its message, and it has none',
        ok: true,
        state: 'dropped',
      };
    case 'duplicate':
      return { kind: 'duplicate', text: 'already posted: skipped as a duplicate', ok: true, state: 'duplicate' };
    case 'dead_lettered':
      return {
        kind: 'dead_lettered',
        text: `dead-lettered: ${outcome.reason ?? 'unknown reason'} after ${tries}`,
        ok: false,
        state: 'dead_lettered',
      };
    case 'retry':
      return {
        kind: 'handed_back',
        text:
          `not posted yet (${outcome.reason ?? 'retry'}): handed back to the queue` +
          (redeliverInMs !== undefined ? `, next try in ${seconds(redeliverInMs)}` : ''),
        ok: false,
        state: 'retrying',
      };
  }
}
