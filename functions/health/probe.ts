import { post } from '../chat/http-post';
import type { DestinationKind } from '../config/destination-kinds';

/**
 * A silent check of a destination. Slack answers a webhook POST without `text` with `400 no_text` (or
 * `invalid_payload`) when the webhook exists, and with 404 `no_service`/`channel_not_found`, 403
 * `invalid_token`/`action_prohibited` or 410 `channel_is_archived` when it is revoked or archived: so a POST of
 * `{}` tells them apart and posts nothing. Any other answer is `unknown`, never `broken`. Teams Workflows accept
 * anything and answer later: they cannot be checked without posting.
 */
export type ProbeStatus = 'ok' | 'broken' | 'unknown' | 'unchecked';

export interface ProbeResult {
  readonly status: ProbeStatus;
  /** A short code: the platform's error code, `http_<status>`, `network_error`, `not_silently_checkable`… */
  readonly reason: string;
}

const SLACK_LIVE = new Set(['no_text', 'invalid_payload', 'missing_text_or_fallback_or_attachments']);
const SLACK_BROKEN: Readonly<Record<number, readonly string[]>> = {
  403: ['invalid_token', 'action_prohibited', 'team_disabled'],
  404: ['no_service', 'channel_not_found', 'no_team'],
  410: ['channel_is_archived', 'no_service'],
};

/**
 * What a Slack webhook's answer to `{}` says about it. A 2xx means the endpoint took the request (Slack itself
 * refuses `{}`; a stand-in or a proxy may not): it works, whatever its body says.
 */
export function classifySlackProbe(status: number, body: string): ProbeResult {
  if (status >= 200 && status < 300) return { status: 'ok', reason: `http_${status}` };
  const code = body.trim().slice(0, 64);
  const reason = /^[a-z_]+$/.test(code) ? code : `http_${status}`;
  if (status === 400 && SLACK_LIVE.has(code)) return { status: 'ok', reason };
  if (SLACK_BROKEN[status]?.includes(code)) return { status: 'broken', reason };
  return { status: 'unknown', reason };
}

/** Probes one destination; never throws, never posts anything a channel shows. */
export async function probeDestination(
  kind: DestinationKind,
  url: string | undefined,
  timeoutMs = 5000,
): Promise<ProbeResult> {
  if (kind === 'console') return { status: 'ok', reason: 'console' };
  if (kind === 'teams') return { status: 'unchecked', reason: 'not_silently_checkable' };
  // A local chat destination without a URL is previewed on the console: nothing to probe.
  if (url === undefined) return { status: 'unchecked', reason: 'no_url' };
  try {
    const reply = await post(url, '{}', { 'content-type': 'application/json' }, timeoutMs);
    return classifySlackProbe(reply.status, reply.body);
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
