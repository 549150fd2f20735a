/**
 * The names of the chat platforms: each has a folder under chat/ and one line in platforms.ts. This file imports
 * nothing, so that config/, below chat/ in the layer order, can read the names (docs/layout.md places `chat/kinds`
 * at the bottom); every other kind type derives from these.
 */

/** The chat platforms, reached through a webhook URL. */
export const CHAT_KINDS = ['slack', 'teams'] as const;
export type ChatKind = (typeof CHAT_KINDS)[number];

export function isChatKind(value: string): value is ChatKind {
  return (CHAT_KINDS as readonly string[]).includes(value);
}

/** The platform whose destinations may post as an app (with a `channel` and a bot token) instead of a webhook. */
export const APP_CHAT_KIND = 'slack' satisfies ChatKind;

/** The kind a local destination without a URL or a kind is shown and probed as. */
export const DEFAULT_CHAT_KIND: ChatKind = 'slack';
