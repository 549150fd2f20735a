import {
  DEFAULT_CHAT_KIND,
  PLATFORMS,
  post,
  probeSlackApp,
  type SlackAppCredentialSource,
  type SlackAppDestination,
  slackAppCredentials,
} from '../chat';
import { destinationFix } from '../alerts';
import type { DestinationKind } from '../config';

/**
 * A silent check of a destination: a POST of `{}`, which a platform that can be probed (its `classifyProbe`, e.g.
 * Slack's) answers without posting anything; one that cannot (Teams Workflows accept anything and answer later) is
 * `unchecked`.
 */
export type ProbeStatus = 'ok' | 'broken' | 'unknown' | 'unchecked';

export interface ProbeResult {
  readonly status: ProbeStatus;
  /** A short code: the platform's error code, `http_<status>`, `network_error`, `not_silently_checkable`… */
  readonly reason: string;
}

/** Probes one destination; never throws, never posts anything a channel shows. */
export async function probeDestination(
  kind: DestinationKind,
  url: string | undefined,
  timeoutMs = 5000,
): Promise<ProbeResult> {
  if (kind === 'console') return { status: 'ok', reason: 'console' };
  // A local chat destination without a URL is previewed on the console: nothing to probe, whatever its platform.
  if (url === undefined) return { status: 'unchecked', reason: 'no_url' };
  const classify = PLATFORMS[kind].classifyProbe;
  if (classify === undefined) return { status: 'unchecked', reason: 'not_silently_checkable' };
  try {
    const reply = await post(url, '{}', { 'content-type': 'application/json' }, timeoutMs);
    return classify(reply.status, reply.body);
  } catch {
    return { status: 'unknown', reason: 'network_error' };
  }
}

/**
 * Probes a destination in Slack app mode with `auth.test` and `conversations.info`, never posting; never throws. No
 * bot token where it should be is `broken`, as a secret without a URL is.
 */
export async function probeAppDestination(
  destination: SlackAppDestination,
  source: SlackAppCredentialSource,
  timeoutMs = 5000,
): Promise<ProbeResult> {
  let credentials: ReturnType<typeof slackAppCredentials>;
  try {
    credentials = slackAppCredentials(destination, source);
  } catch {
    return { status: 'broken', reason: 'no_bot_token' };
  }
  return probeSlackApp(credentials, timeoutMs);
}

/** Probes a destination of the local configuration: its webhook URL, or its Slack app's token and channel. */
export function probeLocalDestination(
  d: { readonly name: string; readonly kind?: DestinationKind; readonly url?: string; readonly channel?: string },
  env: Readonly<Record<string, string | undefined>>,
): Promise<ProbeResult> {
  if (d.channel !== undefined) return probeAppDestination({ name: d.name, channel: d.channel }, { env });
  return probeDestination(d.kind ?? DEFAULT_CHAT_KIND, d.url);
}

/** One line of `check-destinations`: the verdict, its code, and what to do about it. */
export function probeLine(name: string, kind: string, result: ProbeResult): string {
  if (result.status === 'unchecked' && result.reason === 'no_url') {
    return (
      `${name} (${kind}): not checked: it has no "url", so npm start previews its alerts on the console ` +
      `instead of posting them; give it the channel's webhook URL as "url" to post and check it`
    );
  }
  const words: Record<ProbeStatus, string> = {
    ok: 'ok',
    broken: 'BROKEN',
    unknown: 'unknown: the answer does not tell whether it works',
    unchecked: 'not silently checkable (set "health": {"heartbeat": true} for a visible check)',
  };
  const fix =
    result.status === 'broken'
      ? `; fix: ${destinationFix(result.reason, name)}, then npx paubox-relay redrive ${name}`
      : '';
  return `${name} (${kind}): ${words[result.status]} (${result.reason})${fix}`;
}
