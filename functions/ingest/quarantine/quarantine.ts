/**
 * A webhook with the right token whose body the relay could not read as a Paubox event. Paubox never retries, so
 * it is kept (its body holds PHI: encrypted or owner-only), listed by id, time and reason, and never shown.
 */
export interface QuarantinedWebhook {
  readonly id: string;
  readonly receivedAt: string;
  /** `malformed_json`, or `invalid_payload: <field>`: the relay's own words, never a value of the body. */
  readonly reason: string;
  readonly bytes: number;
}

/** A webhook to keep unread, as it came. */
export interface UnreadWebhook {
  readonly body: Buffer;
  readonly receivedAt: Date;
  /** What the ingest queue carried beside the body (token, signature headers), kept so a redrive replays it. */
  readonly attributes?: Readonly<Record<string, { readonly stringValue?: string } | undefined>>;
}

/**
 * Where unreadable webhooks are kept, with their reason: a file locally (`FileQuarantine`), the ingest dead-letter
 * queue in AWS (`sqsQuarantine`), which an operator lists and redrives.
 */
export interface Quarantine {
  /** Keeps a webhook; resolves to the id it is listed under. */
  keep(webhook: UnreadWebhook, reason: string): Promise<string>;
  /** Ids, times, reasons and sizes, at most `max` of them: never the bodies. */
  list(max?: number): Promise<QuarantinedWebhook[]>;
}
