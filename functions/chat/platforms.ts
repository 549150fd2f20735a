import { CHAT_KINDS, type ChatKind, type DestinationKind } from '../config/destination-kinds';
import type { AlertSender, SenderOptions } from './alert-sender';
import { consolePlatform } from './console';
import type { ConsolePlatform, WebhookPlatform } from './platform';
import { slackPlatform } from './slack';
import { teamsPlatform } from './teams';

/**
 * Every platform a destination can post to, by kind. A new platform is a folder under chat/ exporting its
 * {@link WebhookPlatform}, one line here, and its name in CHAT_KINDS (config/destination-kinds.ts).
 */
export const PLATFORMS: { readonly [K in ChatKind]: WebhookPlatform<K> } & { readonly console: ConsolePlatform } = {
  slack: slackPlatform,
  teams: teamsPlatform,
  console: consolePlatform,
};

/** The chat platforms, in the order of CHAT_KINDS (the order messages name them in). */
export const WEBHOOK_PLATFORMS: readonly WebhookPlatform[] = CHAT_KINDS.map((kind) => PLATFORMS[kind]);

/** A destination's sender; a console prints with `write` (standard output by default), the others need a URL. */
export function createSender(
  kind: DestinationKind,
  url: string | undefined,
  options: SenderOptions & { readonly write?: (text: string) => void },
): AlertSender {
  if (kind === 'console') {
    return PLATFORMS.console.createSender(options.write ?? ((text) => process.stdout.write(text)));
  }
  if (url === undefined) throw new Error(`a ${kind} destination needs a URL`);
  return PLATFORMS[kind].createSender(url, options);
}
