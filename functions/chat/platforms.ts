import { CHAT_KINDS, type ChatKind } from '../config';
import type { AlertSender, SenderOptions } from './alert-sender';
import type { ChatPlatform } from './platform';
import { slackPlatform } from './slack';
import { teamsPlatform } from './teams';

/**
 * The chat platforms, by kind. A new platform is a folder under chat/ exporting its {@link ChatPlatform}, one line
 * here, and its name in CHAT_KINDS (config/destination-kinds.ts). The local relay's console is not a chat platform:
 * see destination-sender.ts.
 */
export const PLATFORMS: { readonly [K in ChatKind]: ChatPlatform<K> } = {
  slack: slackPlatform,
  teams: teamsPlatform,
};

/** The chat platforms in the order of CHAT_KINDS, the order messages name them in. */
export const PLATFORM_LIST: readonly ChatPlatform[] = CHAT_KINDS.map((kind) => PLATFORMS[kind]);

/** A sender that posts to a chat platform's webhook URL. */
export function createSender(kind: ChatKind, url: string, options: SenderOptions): AlertSender {
  return PLATFORMS[kind].createSender(url, options);
}
