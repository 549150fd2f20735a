import type { EventType } from '../paubox';

/** How each event type is named in alerts, on every platform. */

export const TITLES: Readonly<Record<EventType, string>> = {
  permanent_failure: 'Message failed to send',
  // Not "failed": Paubox may still deliver it, and the title should not read like the hard bounce's.
  temporary_failure: 'Message not delivered yet',
  delivered: 'Message delivered',
  opened: 'Message opened',
};

export const TYPE_LABELS: Readonly<Record<EventType, string>> = {
  permanent_failure: 'Permanent failure (hard bounce)',
  temporary_failure: 'Temporary failure (soft bounce, Paubox may still deliver it)',
  delivered: 'Delivered',
  opened: 'Opened',
};

/** How a test alert (`paubox-relay test-destination`) is titled and labelled on every platform. */
export const TEST_TITLE = 'Test alert';
export const TEST_TYPE_LABEL = 'Test of this destination (sent with paubox-relay test-destination); no message failed';

/** Short, lower-case event names for one-line summaries ("… (permanent failure)"). */
export const SHORT_TYPE_LABELS: Readonly<Record<EventType, string>> = {
  permanent_failure: 'permanent failure',
  temporary_failure: 'temporary failure',
  delivered: 'delivered',
  opened: 'opened',
};

/** The same names for a count of events: "1 permanent failure", "39 permanent failures", "12 delivered". */
export const SHORT_TYPE_PLURALS: Readonly<Record<EventType, string>> = {
  permanent_failure: 'permanent failures',
  temporary_failure: 'temporary failures',
  delivered: 'delivered',
  opened: 'opened',
};
