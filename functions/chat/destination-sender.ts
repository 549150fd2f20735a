import type { DestinationKind } from '../config';
import type { AlertSender, SenderOptions } from './alert-sender';
import { consolePlatform } from './console';
import { createSender } from './platforms';

/**
 * The sender of a local relay's destination: a console prints with `write` (standard output by default), a chat
 * platform posts to its URL. A chat destination without a URL (a config written for deploying, whose URLs live in
 * secrets) is previewed on the console instead, so the local relay starts with any valid config. Deployed notifiers
 * only post to chat platforms, so their bundle leaves the console out.
 */
export function createDestinationSender(
  kind: DestinationKind | undefined,
  url: string | undefined,
  options: SenderOptions & { readonly write?: (text: string) => void },
): AlertSender {
  const write = options.write ?? ((text: string) => process.stdout.write(text));
  if (kind === 'console') return consolePlatform.createSender(write);
  if (url === undefined) {
    // Marked on every alert, so a preview is never mistaken for a post that reached the channel.
    const preview = consolePlatform.createSender((text) => write(`preview, not posted to ${kindLabel(kind)}: ${text}`));
    return { ...preview, verb: 'previewed' };
  }
  if (kind === undefined) throw new Error('a chat destination with a URL has a kind once its config is validated');
  return createSender(kind, url, options);
}

/** A destination's platform as people read it: its kind, or `slack or teams` until its URL tells which. */
export const kindLabel = (kind: DestinationKind | undefined): string => kind ?? 'slack or teams';

/**
 * Whether a local destination is previewed on the console rather than posted: a chat destination with neither a URL
 * nor a Slack app's channel.
 */
export const isPreview = (d: {
  readonly kind?: DestinationKind;
  readonly url?: string;
  readonly channel?: string;
}): boolean => d.kind !== 'console' && d.url === undefined && d.channel === undefined;
