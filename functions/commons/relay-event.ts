/** The four things Paubox tells us about a message. */
export const EVENT_TYPES = ['delivered', 'opened', 'temporary_failure', 'permanent_failure'] as const;
export type EventType = (typeof EVENT_TYPES)[number];

/**
 * One Paubox notification, normalized. Holds PHI (recipients, subject, custom headers):
 * what a destination may see of it is decided by `detail.ts`, never by the renderers.
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
}

/** Published events are our own JSON, but a queue can be written to by others: check the shape. */
export function decodeQueuedEvent(body: string): RelayEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return undefined;
  }
  const e = value as Partial<RelayEvent> | null;
  const ok =
    typeof e === 'object' &&
    e !== null &&
    typeof e.key === 'string' &&
    EVENT_TYPES.includes(e.type as never) &&
    typeof e.time === 'string' &&
    typeof e.sender === 'string' &&
    typeof e.senderDomain === 'string' &&
    Array.isArray(e.recipients) &&
    Array.isArray(e.recipientDomains) &&
    typeof e.customHeaders === 'object';
  return ok ? (value as RelayEvent) : undefined;
}
