import { createHmac } from 'node:crypto';
import type { DetailLevel } from '../config/detail-levels';
import type { EventType, RelayEvent } from '../paubox/relay-event';
import { TEST_TITLE, TEST_TYPE_LABEL, TITLES, TYPE_LABELS } from './event-labels';

/**
 * The part of an event that one destination is allowed to see. Renderers only ever receive an
 * AlertView, so a destination's detail level is enforced here, in one place, and not by each renderer.
 */
export interface AlertView {
  readonly type: EventType;
  /** "Message failed to send", "Message delivered" or "Message opened". */
  readonly title: string;
  /** e.g. "Permanent failure (hard bounce)". */
  readonly typeLabel: string;
  readonly time: string;
  readonly sender: string;
  readonly senderDomain: string;
  readonly recipientDomains: readonly string[];
  /** Keyed, short, one per recipient: tells repeated failures for one person apart without saying who. */
  readonly recipientFingerprints: readonly string[];
  /** `recipient` and `full` only. */
  readonly recipients?: readonly string[];
  /** `full` only. */
  readonly subject?: string;
  /** `full` only. */
  readonly customHeaders?: Readonly<Record<string, string>>;
  readonly pauboxId?: string;
  readonly sourceTrackingId?: string;
  readonly messageId?: string;
  /** The relay's de-duplication key for the event; not PHI. */
  readonly key: string;
  readonly destination: string;
  readonly detail: DetailLevel;
}

/** A fingerprint is the first 40 bits of HMAC-SHA256(key, lower-cased address), shown as `r-` and 10 hex digits. */
export function recipientFingerprint(address: string, key: string): string {
  return `r-${createHmac('sha256', key).update(address.trim().toLowerCase()).digest('hex').slice(0, 10)}`;
}

export interface ViewOptions {
  readonly destination: string;
  readonly detail: DetailLevel;
  /** Secret key of the recipient fingerprints; the same key must be used everywhere for them to match. */
  readonly fingerprintKey: string;
}

export function toAlertView(event: RelayEvent, options: ViewOptions): AlertView {
  const { detail } = options;
  return {
    type: event.type,
    title: event.test === true ? TEST_TITLE : TITLES[event.type],
    typeLabel: event.test === true ? TEST_TYPE_LABEL : TYPE_LABELS[event.type],
    time: event.time,
    sender: event.sender,
    senderDomain: event.senderDomain,
    recipientDomains: event.recipientDomains,
    recipientFingerprints: event.recipients.map((r) => recipientFingerprint(r, options.fingerprintKey)),
    ...(detail !== 'minimal' ? { recipients: event.recipients } : {}),
    ...(detail === 'full'
      ? { customHeaders: event.customHeaders, ...(event.subject !== undefined ? { subject: event.subject } : {}) }
      : {}),
    ...(event.pauboxId !== undefined ? { pauboxId: event.pauboxId } : {}),
    ...(event.sourceTrackingId !== undefined ? { sourceTrackingId: event.sourceTrackingId } : {}),
    ...(event.messageId !== undefined ? { messageId: event.messageId } : {}),
    key: event.key,
    destination: options.destination,
    detail,
  };
}
