import { SLACK_APP_BROKEN_ERRORS } from '../../alerts';
import { classifyHttpFailure, classifyNoReply } from '../classify-failure';
import { DeliveryError } from '../errors';
import { post } from '../http-post';

/**
 * Slack's Web API for a destination in app mode (`chat.postMessage`, `chat.update`, `auth.test`,
 * `conversations.info`), over the relay's own HTTP post: a few hundred bytes where `@slack/web-api` would bring
 * axios into every bundle that posts. Bodies are form-encoded, which every method accepts; object arguments (blocks,
 * attachments) travel as JSON strings, as Slack documents.
 *
 * Slack answers most failures with HTTP 200 and `"ok": false`: they are classified like a webhook's answers, so a
 * revoked token or an archived channel is never retried and a `ratelimited` waits for its `Retry-After`.
 */

export const DEFAULT_SLACK_API_BASE_URL = 'https://slack.com/api/';

export interface SlackWebApiOptions {
  /** A bot token, `xoxb-…`: sent only in the `Authorization` header, never logged. */
  readonly token: string;
  /** Where the methods live, ending in `/`: Slack's by default, a fake's in tests. */
  readonly baseUrl?: string;
  readonly timeoutMs: number;
}

/** A method's answer when `ok` is true. */
export type SlackApiReply = Readonly<Record<string, unknown>> & { readonly ok: true };

export interface SlackWebApi {
  /** Calls `method`; resolves with Slack's answer when `ok`, rejects with a classified {@link DeliveryError}. */
  call(method: string, args: Readonly<Record<string, unknown>>): Promise<SlackApiReply>;
}

export { SLACK_APP_BROKEN_ERRORS };

/** Errors Slack documents as passing: tried again later. */
const RETRYABLE_ERRORS: ReadonlySet<string> = new Set([
  'internal_error',
  'fatal_error',
  'service_unavailable',
  'request_timeout',
]);

/** Slack's error codes are short snake_case words; anything else is not repeated. */
function errorCode(reply: Readonly<Record<string, unknown>>): string {
  const error = reply.error;
  return typeof error === 'string' && /^[a-z_]{1,64}$/.test(error) ? error : 'unknown_error';
}

/** The `DeliveryError` of an HTTP 200 with `"ok": false`. */
export function classifyApiError(code: string, retryAfterHeader: string | null): DeliveryError {
  if (code === 'ratelimited' || code === 'rate_limited') {
    return classifyHttpFailure(429, 'rate_limited', retryAfterHeader);
  }
  return new DeliveryError(code, RETRYABLE_ERRORS.has(code), 200);
}

/** Form-encodes arguments: strings, numbers and booleans as they are, objects as JSON. */
function formBody(args: Readonly<Record<string, unknown>>): string {
  const form = new URLSearchParams();
  for (const [name, value] of Object.entries(args)) {
    if (value === undefined) continue;
    form.set(name, typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return form.toString();
}

export function slackWebApi(options: SlackWebApiOptions): SlackWebApi {
  const base = options.baseUrl ?? DEFAULT_SLACK_API_BASE_URL;
  return {
    async call(method, args) {
      let reply: Awaited<ReturnType<typeof post>>;
      try {
        reply = await post(
          new URL(method, base).toString(),
          formBody(args),
          {
            authorization: `Bearer ${options.token}`,
            'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
          },
          options.timeoutMs,
        );
      } catch (error) {
        throw classifyNoReply(error);
      }
      const retryAfter = reply.headers['retry-after'] ?? null;
      let parsed: unknown;
      try {
        parsed = JSON.parse(reply.body);
      } catch {
        parsed = undefined;
      }
      const body = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : undefined;
      if (reply.status < 200 || reply.status >= 300) {
        throw classifyHttpFailure(reply.status, body ? errorCode(body) : '', retryAfter);
      }
      // A 2xx Slack did not explain: whether a message was posted is unknown, so it is never sent again.
      if (body === undefined) throw new DeliveryError('unreadable_reply', false, reply.status);
      if (body.ok !== true) throw classifyApiError(errorCode(body), retryAfter);
      return body as SlackApiReply;
    },
  };
}
