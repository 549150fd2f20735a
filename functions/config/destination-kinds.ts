/**
 * The platform a destination posts to. Each kind has a folder under chat/ and one line in chat/platforms.ts; the
 * names live here, below chat/, because the configuration lists them. Every other kind type derives from these.
 */

/** The chat platforms, reached through a webhook URL. */
export const CHAT_KINDS = ['slack', 'teams'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

export function isChatKind(value: string): value is ChatKind {
  return (CHAT_KINDS as readonly string[]).includes(value);
}

/** Every kind a destination may have: a chat platform, or the local relay's console. */
export const DESTINATION_KINDS = [...CHAT_KINDS, 'console'] as const;
export type DestinationKind = (typeof DESTINATION_KINDS)[number];
