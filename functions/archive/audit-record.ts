/**
 * What a person did from chat (Slack's *Acknowledge*, *Mute*, *Undo*), kept beside the archived events as an audit
 * line: who by their Slack user id, what, when and at which destination. Never an address or a subject: a mute
 * names a recipient by fingerprint and a sender by domain, as the button did.
 */
export interface AuditRecord {
  readonly audit: 'chat_action';
  /** The button's name: `acknowledge`, `muteRecipient`, `muteSenderDomain`, `undoSilence`. */
  readonly action: string;
  /** The Slack user id of whoever clicked. */
  readonly by: string;
  readonly team?: string;
  readonly destination: string;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly message_key?: string;
  readonly sender_domain?: string;
  readonly fingerprint?: string;
  readonly silence_id?: string;
  /** When the silence a mute created ends. */
  readonly until?: string;
  /** False when the action changed nothing (a rate alert already resolved, a silence already ended). */
  readonly changed: boolean;
}

/** The record as one JSON line, as both audit trails (local files, the deployed stream) keep it. */
export const auditLine = (record: AuditRecord): string => `${JSON.stringify(record)}\n`;

const OPTIONAL = ['team', 'message_key', 'sender_domain', 'fingerprint', 'silence_id', 'until'] as const;

/** An audit line read back, or undefined when it is not one. */
export function auditRecordOf(value: Record<string, unknown>): AuditRecord | undefined {
  const { audit, action, by, destination, at, changed } = value;
  if (audit !== 'chat_action' || typeof changed !== 'boolean') return undefined;
  if (![action, by, destination, at].every((v) => typeof v === 'string')) return undefined;
  if (!OPTIONAL.every((name) => value[name] === undefined || typeof value[name] === 'string')) return undefined;
  return value as unknown as AuditRecord;
}
