/**
 * What a destination may see of an event.
 * - `minimal`: event type, time, sender, recipient domain, Paubox ids, Message-ID and a keyed recipient fingerprint.
 * - `recipient`: adds the recipient address.
 * - `full`: adds subject and custom headers (only for channels covered by a BAA).
 */
export const DETAIL_LEVELS = ['minimal', 'recipient', 'full'] as const;
export type DetailLevel = (typeof DETAIL_LEVELS)[number];
