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

/** Keeps an unreadable webhook; resolves to the id it is listed under. */
export type KeepUnreadable = (body: Buffer, reason: string, receivedAt: Date) => Promise<string>;
