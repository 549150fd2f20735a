import type { EventType } from '../paubox';

/**
 * What each kind of alert asks of the person reading it, in our own words, on every platform. A digest carries
 * its category's guidance once.
 */

/** How loud an alert is: renderers pick colours and header marks from it. */
export type Severity = 'error' | 'warning' | 'info';

export const SEVERITIES: Readonly<Record<EventType, Severity>> = {
  permanent_failure: 'error',
  temporary_failure: 'warning',
  delivered: 'info',
  opened: 'info',
};

export const GUIDANCE: Readonly<Record<EventType, string>> = {
  permanent_failure:
    'Paubox will not retry this message. Check the address on file for this recipient, ' +
    'and reach the person another way (phone, patient portal).',
  temporary_failure:
    'Paubox may still deliver this message. Act when it keeps failing for the same recipient ' +
    '(the same fingerprint): check the address, or reach the person another way.',
  delivered: 'For information: the message reached the recipient’s mail server. Nothing to do.',
  opened: 'For information: the recipient opened the message. Nothing to do.',
};

/** A test alert (`paubox-relay test-destination`) asks nothing. */
export const TEST_GUIDANCE = 'Nothing to do: this alert only shows that the destination works.';

/** Guidance of a digest that holds both failure types. */
export const MIXED_FAILURE_GUIDANCE =
  'Hard bounces: Paubox will not retry them; check the addresses on file and reach those people another way. ' +
  'Soft bounces: Paubox may still deliver them; act on recipients that keep failing.';

/** What a fingerprint is, in one line: shown under every alert that shows one. */
export const FINGERPRINT_NOTE =
  'r-… is a recipient fingerprint: the same for every alert about one address, and it does not reveal the address.';

/** Added to the guidance of an alert sent again after a restart that may have come just after its first post. */
export const REPEAT_NOTE = 'This may repeat an alert posted just before a restart.';
