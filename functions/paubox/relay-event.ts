/** The four things Paubox tells us about a message. */
export const EVENT_TYPES = ['delivered', 'opened', 'temporary_failure', 'permanent_failure'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One Paubox notification, normalized. Holds PHI (recipients, subject, custom headers):
 * what a destination may see of it is decided by `toAlertView` (alerts/alert-view.ts), never by the renderers.
 */
export interface RelayEvent {
  /** Stable de-duplication key: the same webhook body always yields the same key. */
  readonly key: string;
  readonly type: EventType;
  /** ISO 8601 time of the event as Paubox reported it, else the time the relay received it. */
  readonly time: string;
  readonly pauboxId?: string;
  readonly sourceTrackingId?: string;
  /** RFC 5322 Message-ID, angle brackets included. */
  readonly messageId?: string;
  readonly sender: string;
  /** Lower-case domain of `sender`; the routing attribute. */
  readonly senderDomain: string;
  readonly recipients: readonly string[];
  /** Lower-case, de-duplicated domains of `recipients`, in order of first appearance. */
  readonly recipientDomains: readonly string[];
  readonly subject?: string;
  readonly customHeaders: Readonly<Record<string, string>>;
  /**
   * Set only on the synthetic event `paubox-relay test-destination` puts on a destination's queue, never by ingest:
   * the alert is then titled as a test, so nobody takes it for a failed message.
   */
  readonly test?: boolean;
  /**
   * Set only by the local relay on an event it sends again after a restart whose post was on its way when the relay
   * stopped: the alert then says it may repeat one already shown.
   */
  readonly mayRepeat?: boolean;
}

const isText = (value: unknown): value is string => typeof value === 'string';
const isTextList = (value: unknown): boolean => Array.isArray(value) && value.every(isText);
const isOptionalText = (value: unknown): boolean => value === undefined || isText(value);

/**
 * Published events are our own JSON, but a queue can be written to by others: check the shape down to each field,
 * so that a record the renderers could not handle is dead-lettered as malformed rather than failing its batch.
 */
export function decodeQueuedEvent(body: string): RelayEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null) return undefined;
  const e = value as Record<keyof RelayEvent, unknown>;
  const headers = e.customHeaders;
  const ok =
    isText(e.key) &&
    EVENT_TYPES.includes(e.type as never) &&
    isText(e.time) &&
    isText(e.sender) &&
    isText(e.senderDomain) &&
    isTextList(e.recipients) &&
    isTextList(e.recipientDomains) &&
    typeof headers === 'object' &&
    headers !== null &&
    !Array.isArray(headers) &&
    Object.values(headers).every(isText) &&
    [e.pauboxId, e.sourceTrackingId, e.messageId, e.subject].every(isOptionalText) &&
    (e.test === undefined || typeof e.test === 'boolean') &&
    (e.mayRepeat === undefined || typeof e.mayRepeat === 'boolean');
  return ok ? (value as RelayEvent) : undefined;
}
