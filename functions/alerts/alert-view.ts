import { minimalDeliveryStatus } from '../paubox';
import { createHmac } from 'node:crypto';
import type { DetailLevel } from '../config';
import type { EventType, RelayEvent } from '../paubox';
import { TEST_TITLE, TEST_TYPE_LABEL, TITLES, TYPE_LABELS } from './event-labels';
import { DEFAULT_TIME_ZONE, parseEventTime } from './event-time';

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
  /** As Paubox sent it; shown as is only when it is not an ISO 8601 time. */
  readonly time: string;
  /** `time` in milliseconds since the epoch, when it is a well-formed ISO 8601 time. */
  readonly at?: number;
  /** IANA zone of times on platforms that cannot show the reader's own. */
  readonly timeZone: string;
  /** Set on the synthetic event of `paubox-relay test-destination`. */
  readonly test: boolean;
  /** Sent again after a restart that may have come just after its first post. */
  readonly mayRepeat?: true;
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
  /** Paubox's own word on the delivery (message receipt `deliveryStatus`), when it was looked up; untrusted. */
  readonly deliveryStatus?: string;
  /** Recipients with more than one failure in the 24 h up to this event, by fingerprint; failures only. */
  readonly repeatedFailures?: readonly RecipientFailures[];
  /** Recipients to stop sending to: `advice.hardBounces` or more hard bounces within `advice.window`. */
  readonly stopSending?: readonly AdvisedRecipient[];
  /** The relay's de-duplication key for the event; not PHI. */
  readonly key: string;
  readonly destination: string;
  readonly detail: DetailLevel;
}

/** How many failures one recipient has had in the 24 h up to an event, that event included. */
export interface RecipientFailures {
  readonly fingerprint: string;
  readonly count: number;
}

/** A recipient the relay advises to stop sending to, by fingerprint. */
export interface AdvisedRecipient {
  readonly fingerprint: string;
  /** Hard bounces within the window. */
  readonly count: number;
  readonly windowDays: number;
}

/**
 * What the notifier learned about an event besides the webhook, at no detail level's expense: a status text and
 * counts by fingerprint, never an address. Either may be missing (lookups are best effort).
 */
export interface EventExtras {
  readonly deliveryStatus?: string;
  /** Failures in the 24 h up to the event, by recipient fingerprint, the event included. */
  readonly failureCounts?: ReadonlyMap<string, number>;
  /** Recipients of the event the relay advises to stop sending to. */
  readonly advised?: readonly AdvisedRecipient[];
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
  /** @default DEFAULT_TIME_ZONE (UTC) */
  readonly timeZone?: string;
}

/** The recipients of `fingerprints` with more than one failure, in the order given. */
export function repeatedFailuresOf(
  fingerprints: readonly string[],
  counts: ReadonlyMap<string, number> | undefined,
): RecipientFailures[] {
  if (!counts) return [];
  return [...new Set(fingerprints)]
    .map((fingerprint) => ({ fingerprint, count: counts.get(fingerprint) ?? 0 }))
    .filter((r) => r.count > 1);
}

export function toAlertView(event: RelayEvent, options: ViewOptions, extras: EventExtras = {}): AlertView {
  const { detail } = options;
  const at = parseEventTime(event.time);
  const fingerprints = event.recipients.map((r) => recipientFingerprint(r, options.fingerprintKey));
  const repeated = repeatedFailuresOf(fingerprints, extras.failureCounts);
  return {
    type: event.type,
    title: event.test === true ? TEST_TITLE : TITLES[event.type],
    typeLabel: event.test === true ? TEST_TYPE_LABEL : TYPE_LABELS[event.type],
    time: event.time,
    ...(at !== undefined ? { at } : {}),
    timeZone: options.timeZone ?? DEFAULT_TIME_ZONE,
    test: event.test === true,
    ...(event.mayRepeat === true ? { mayRepeat: true as const } : {}),
    sender: event.sender,
    senderDomain: event.senderDomain,
    recipientDomains: event.recipientDomains,
    recipientFingerprints: fingerprints,
    ...(detail !== 'minimal' ? { recipients: event.recipients } : {}),
    ...(detail === 'full'
      ? { customHeaders: event.customHeaders, ...(event.subject !== undefined ? { subject: event.subject } : {}) }
      : {}),
    ...(event.pauboxId !== undefined ? { pauboxId: event.pauboxId } : {}),
    ...(event.sourceTrackingId !== undefined ? { sourceTrackingId: event.sourceTrackingId } : {}),
    ...(event.messageId !== undefined ? { messageId: event.messageId } : {}),
    ...(extras.deliveryStatus !== undefined
      ? {
          // Free text from the receipt: at minimal, only the documented phrases (functions/paubox/delivery-status.ts).
          deliveryStatus: detail === 'minimal' ? minimalDeliveryStatus(extras.deliveryStatus) : extras.deliveryStatus,
        }
      : {}),
    ...(repeated.length > 0 ? { repeatedFailures: repeated } : {}),
    ...(extras.advised && extras.advised.length > 0 ? { stopSending: extras.advised } : {}),
    key: event.key,
    destination: options.destination,
    detail,
  };
}
