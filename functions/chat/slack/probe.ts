import type { ProbeVerdict } from '../platform';

/**
 * A silent check of a Slack webhook. Slack answers a webhook POST without `text` with `400 no_text` (or
 * `invalid_payload`) when the webhook exists, and with 404 `no_service`/`channel_not_found`, 403
 * `invalid_token`/`action_prohibited` or 410 `channel_is_archived` when it is revoked or archived: so a POST of
 * `{}` tells them apart and posts nothing. Any other answer is `unknown`, never `broken`.
 */
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
export function classifySlackProbe(status: number, body: string): ProbeVerdict {
  if (status >= 200 && status < 300) return { status: 'ok', reason: `http_${status}` };
  const code = body.trim().slice(0, 64);
  const reason = /^[a-z_]+$/.test(code) ? code : `http_${status}`;
  if (status === 400 && SLACK_LIVE.has(code)) return { status: 'ok', reason };
  if (SLACK_BROKEN[status]?.includes(code)) return { status: 'broken', reason };
  return { status: 'unknown', reason };
}
