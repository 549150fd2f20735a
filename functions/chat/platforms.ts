import type { ChatView } from '../alerts';
import type { DestinationKind } from '../config';
import { CHAT_KINDS, type ChatKind, isChatKind } from './kinds';
import type { AlertSender, SenderOptions } from './alert-sender';
import type { ChatPlatform } from './platform';
import { slackPlatform } from './slack';
import { teamsPlatform } from './teams';

/** Each platform with its own type, so that the type of the body it renders follows from its kind. */
const BY_KIND = { slack: slackPlatform, teams: teamsPlatform } as const;

/**
 * The chat platforms, by kind. A new platform is a folder under chat/ exporting its {@link ChatPlatform}, one line
 * here, and its name in CHAT_KINDS (kinds.ts). The local relay's console is not a chat platform:
 * see destination-sender.ts.
 */
export const PLATFORMS: { readonly [K in ChatKind]: ChatPlatform<K> } = BY_KIND;

/** A platform's body, with its kind: what its sender posts for a view. */
export type ChatBody = {
  readonly [K in ChatKind]: { readonly kind: K; readonly body: ReturnType<(typeof BY_KIND)[K]['render']> };
}[ChatKind];

/** The body a destination of this kind is sent for the view. */
export function renderChatBody(kind: ChatKind, view: ChatView): ChatBody {
  return { kind, body: PLATFORMS[kind].render(view) } as ChatBody;
}

/** The chat platforms in the order of CHAT_KINDS, the order messages name them in. */
export const PLATFORM_LIST: readonly ChatPlatform[] = CHAT_KINDS.map((kind) => PLATFORMS[kind]);

/** A sender that posts to a chat platform's webhook URL. */
export function createSender(kind: ChatKind, url: string, options: SenderOptions): AlertSender {
  return PLATFORMS[kind].createSender(url, options);
}

/**
 * Whether a destination of this kind is checked only by a visible post (the opt-in heartbeat): a chat platform that
 * cannot be probed silently.
 */
export function checkedByHeartbeat(kind: DestinationKind | undefined): boolean {
  return kind !== undefined && isChatKind(kind) && PLATFORMS[kind].classifyProbe === undefined;
}
