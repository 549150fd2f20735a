import { IncomingWebhook, IncomingWebhookHTTPError, type FetchFunction } from '@slack/webhook';
import type { AlertSender, SenderOptions } from '../alert-sender';
import { classifyHttpFailure, classifyNoReply } from '../classify-failure';
import { post, type PostReply } from '../http-post';
import { renderSlackView } from './render-view';

/** The `fetch` that `@slack/webhook` calls, built on {@link post} so that a timeout says whether the request left. */
function slackFetch(timeoutMs: number, onReply: (reply: PostReply) => void): FetchFunction {
  return async (input, init): ReturnType<FetchFunction> => {
    const reply = await post(String(input), String(init?.body ?? ''), init?.headers ?? {}, timeoutMs);
    onReply(reply);
    const headers = new Map(Object.entries(reply.headers));
    return {
      ok: reply.status >= 200 && reply.status < 300,
      status: reply.status,
      statusText: '',
      url: String(input),
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
      arrayBuffer: async () => new TextEncoder().encode(reply.body).buffer as ArrayBuffer,
      json: async () => JSON.parse(reply.body) as unknown,
      text: async () => reply.body,
    };
  };
}

/** Slack, through `@slack/webhook`, whose `fetch` is our own so that `Retry-After` and timeouts are visible. */
export function slackSender(url: string, options: SenderOptions): AlertSender {
  // The library does not expose a 429's Retry-After; the fetch we give it keeps the last reply's.
  let lastRetryAfter: string | null = null;
  const webhook = new IncomingWebhook(url, {
    fetch: slackFetch(options.timeoutMs, (reply) => (lastRetryAfter = reply.headers['retry-after'] ?? null)),
  });
  return {
    kind: 'slack',
    async send(view) {
      try {
        await webhook.send(renderSlackView(view));
      } catch (error) {
        if (error instanceof IncomingWebhookHTTPError) {
          throw classifyHttpFailure(error.statusCode, error.body, lastRetryAfter);
        }
        throw classifyNoReply((error as { original?: unknown }).original ?? error);
      }
    },
  };
}
