import type { AlertSender, SenderOptions } from '../alert-sender';
import { classifyHttpFailure, classifyNoReply } from '../classify-failure';
import { post, type PostReply } from '../http-post';
import { renderTeamsView } from './render-view';

/** Teams Workflows: 200 and 202 both mean accepted (the flow renders the card later, unseen). */
export function teamsSender(url: string, options: SenderOptions): AlertSender {
  return {
    kind: 'teams',
    async send(view) {
      let reply: PostReply;
      try {
        reply = await post(
          url,
          JSON.stringify(renderTeamsView(view)),
          { 'content-type': 'application/json; charset=utf-8' },
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
