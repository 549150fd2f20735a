import { DeliveryError } from '../errors';
import type { ProbeVerdict } from '../platform';
import type { SlackAppCredentials } from './app-credentials';
import { SLACK_APP_BROKEN_ERRORS, slackWebApi } from './web-api';

/**
 * The silent check of a destination in app mode, which posts nothing: `auth.test` (the token works) and
 * `conversations.info` (the channel exists, is not archived, and the bot is in it). A broken error of Slack's is
 * `broken`; a rate limit, a timeout or Slack's own trouble is `unknown`, never `broken`.
 */
export async function probeSlackApp(credentials: SlackAppCredentials, timeoutMs: number): Promise<ProbeVerdict> {
  const api = slackWebApi({ token: credentials.botToken, baseUrl: credentials.apiBaseUrl, timeoutMs });
  try {
    await api.call('auth.test', {});
    const { channel } = await api.call('conversations.info', { channel: credentials.channel });
    const info = (typeof channel === 'object' && channel !== null ? channel : {}) as Record<string, unknown>;
    if (info.is_archived === true) return { status: 'broken', reason: 'is_archived' };
    if (info.is_member === false) return { status: 'broken', reason: 'not_in_channel' };
    return { status: 'ok', reason: 'auth_and_channel_ok' };
  } catch (error) {
    if (!(error instanceof DeliveryError)) return { status: 'unknown', reason: 'unreadable_reply' };
    const broken = SLACK_APP_BROKEN_ERRORS.has(error.reason);
    return { status: broken ? 'broken' : 'unknown', reason: error.reason };
  }
}
