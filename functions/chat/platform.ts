import type { ChatView } from '../alerts';
import type { ChatKind } from './kinds';
import type { AlertSender, SenderOptions } from './alert-sender';

/**
 * What a platform folder under chat/ exports: one object saying how to render for the platform and post to it.
 * chat/platforms.ts lists the chat platforms; sender creation, URL checks and pacing defaults read them there.
 */
interface PlatformBase<K extends string> {
  readonly kind: K;
  /** The body the platform is sent for an alert or a digest: what its sender posts. */
  render(view: ChatView): unknown;
}

/** Webhook hosts, matched by whole labels: exact names, and suffixes such as `.logic.azure.com`. */
export interface HostList {
  readonly hosts: readonly string[];
  readonly hostSuffixes: readonly string[];
}

/** What a silent probe of a webhook found: `reason` is a short code (the platform's error code, `http_<status>`). */
export interface ProbeVerdict {
  readonly status: 'ok' | 'broken' | 'unknown';
  readonly reason: string;
}

/** A chat platform reached through a webhook URL. */
export interface ChatPlatform<K extends ChatKind = ChatKind> extends PlatformBase<K>, HostList {
  /** How messages name it, e.g. "Teams Workflows". */
  readonly label: string;
  /** The product, as the construct's descriptions name it: "Slack", "Microsoft Teams". */
  readonly productName: string;
  /** What a person copies the URL from: "Slack incoming webhook", "Teams Workflows webhook". */
  readonly webhookName: string;
  /** Webhooks the platform retired: refused with what to use instead. */
  readonly retired?: HostList & { readonly name: string; readonly advice: string };
  /**
   * What the platform's answer to a POST of `{}` says of the webhook, for a platform that answers it without posting
   * anything the channel shows. Absent: the platform cannot be checked silently, only by the opt-in heartbeat.
   */
  readonly classifyProbe?: (status: number, body: string) => ProbeVerdict;
  /** Posts per second when a destination's configuration sets none. */
  readonly messagesPerSecond: number;
  createSender(url: string, options: SenderOptions): AlertSender;
}

/** The local relay's console: prints each alert where `write` says. */
export interface ConsolePlatform extends PlatformBase<'console'> {
  createSender(write: (text: string) => void): AlertSender;
}
