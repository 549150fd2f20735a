import type { DestinationKind } from '../config/destination-kinds';
import type { AlertSender, SenderOptions } from './alert-sender';
import { consolePlatform } from './console';
import { createSender } from './platforms';

/**
 * The sender of a local relay's destination: a console prints with `write` (standard output by default), a chat
 * platform needs a URL. Deployed notifiers only post to chat platforms, so their bundle leaves the console out.
 */
export function createDestinationSender(
  kind: DestinationKind,
  url: string | undefined,
  options: SenderOptions & { readonly write?: (text: string) => void },
): AlertSender {
  if (kind === 'console') return consolePlatform.createSender(options.write ?? ((text) => process.stdout.write(text)));
  if (url === undefined) throw new Error(`a ${kind} destination needs a URL`);
  return createSender(kind, url, options);
}
