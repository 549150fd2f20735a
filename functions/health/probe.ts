import { PLATFORMS, post } from '../chat';
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
      ? `; fix: npx paubox-relay set-destination ${name} <url>, then npx paubox-relay redrive ${name}`
      : '';
  return `${name} (${kind}): ${words[result.status]} (${result.reason})${fix}`;
}
