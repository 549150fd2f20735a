import type { AlertSender, SenderOptions } from '../alert-sender';
import { classifyHttpFailure, classifyNoReply } from '../classify-failure';
import { post, type PostReply } from '../http-post';
import { renderSlackView } from './render-view';

/**
 * Slack's incoming webhooks, over the relay's own POST, as `@slack/webhook`'s `IncomingWebhook` posts them (JSON, no
 * redirect, no retry of its own) without the 13 KB it and its retry libraries add to a notifier, and with what it
 * does not expose: a 429's Retry-After, and whether a timed-out request left.
 */
export function slackSender(url: string, options: SenderOptions): AlertSender {
  return {
    kind: 'slack',
    async send(view) {
      let reply: PostReply;
      try {
        reply = await post(
          url,
          JSON.stringify(renderSlackView(view)),
          { 'content-type': 'application/json' },
          options.timeoutMs,
        );
      } catch (error) {
        throw classifyNoReply(error);
      }
      if (reply.status < 200 || reply.status >= 300) {
        throw classifyHttpFailure(reply.status, reply.body, reply.headers['retry-after'] ?? null);
      }
    },
  };
}
