import { type ChatView, isHealthNotice, isSendingNotice } from '../../alerts';
import type { AlertSender, SenderOptions } from '../alert-sender';
import type { SlackAppCredentials } from './app-credentials';
import { isAlertView, renderSlackApp, renderSlackTurn, turnOf } from './app-render';
import type { SlackMessage } from './render';
import { messageKeyOf, messageThreadKey, noticeThreadKey, type SlackThread, type SlackThreadStore } from './threads';
import { slackWebApi } from './web-api';

/**
 * A destination in Slack app mode: posts with `chat.postMessage` and keeps one thread per message. The first alert
 * about a message starts its thread; later ones reply in it, and when the story turns (a temporary failure then
 * `delivered`, `opened` or a permanent failure) the first alert is rewritten with `chat.update` before the reply.
 * A bounce-rate alert and a health problem keep their own thread for their reminders and their resolution.
 * Failures (`ok: false` included) are the Web API client's classified DeliveryErrors.
 */
export interface SlackAppSenderOptions extends SenderOptions {
  readonly destination: string;
  /** Read on each send: a token stored anew is used by the next send. */
  readonly credentials: () => Promise<SlackAppCredentials>;
  readonly threads: SlackThreadStore;
}

/** The thread a view belongs to: a message's, a notice episode's; none for digests, reports and ended silences. */
export function threadKeyOf(view: ChatView): string | undefined {
  if (isHealthNotice(view)) {
    return view.state === 'heartbeat' ? undefined : noticeThreadKey('health', view.part, view.subject, view.since);
  }
  if (isSendingNotice(view)) {
    return view.sending === 'rate' ? noticeThreadKey('rate', view.senderDomain, view.since) : undefined;
  }
  if (!isAlertView(view) || view.test) return undefined;
  const key = messageKeyOf(view);
  return key === undefined ? undefined : messageThreadKey(key);
}

/** What a view's first message shows, to tell later whether its story turned. */
function stateOf(view: ChatView): string {
  if (isAlertView(view)) return view.type;
  if (isHealthNotice(view)) return view.state;
  return isSendingNotice(view) && view.sending === 'rate' ? view.state : 'posted';
}

const args = (message: SlackMessage) => ({
  text: message.text,
  blocks: message.blocks,
  ...(message.attachments ? { attachments: message.attachments } : {}),
});

export function slackAppSender(options: SlackAppSenderOptions): AlertSender {
  const { destination, threads, timeoutMs } = options;
  // Best effort: a store that cannot be read starts a new thread; one that cannot be written loses only threading.
  const lookUp = (key: string) => threads.get(destination, key).catch(() => undefined);
  const keep = (key: string, thread: SlackThread) => threads.put(destination, key, thread).catch(() => undefined);
  return {
    kind: 'slack',
    async send(view) {
      const credentials = await options.credentials();
      const api = slackWebApi({ token: credentials.botToken, baseUrl: credentials.apiBaseUrl, timeoutMs });
      const { channel } = credentials;
      const key = threadKeyOf(view);
      const thread = key === undefined ? undefined : await lookUp(key);
      if (key === undefined || thread === undefined || thread.channel !== channel) {
        const reply = await api.call('chat.postMessage', {
          channel,
          ...args(renderSlackApp(view, { reply: false })),
          unfurl_links: false,
          unfurl_media: false,
        });
        if (key !== undefined && typeof reply.ts === 'string') {
          const at = isAlertView(view) ? view.at : undefined;
          await keep(key, {
            channel,
            ts: reply.ts,
            state: stateOf(view),
            ...(at !== undefined ? { firstAt: at } : {}),
          });
        }
        return;
      }
      // The first message first, so that a retry after a failed reply does not rewrite it twice.
      const turn = isAlertView(view) ? turnOf(thread.state, view) : undefined;
      // A notice's episode: a resolution rewrites the first message without its buttons, an escalation (a warning
      // become an alert) with them.
      const state = stateOf(view);
      const rewrite =
        !isAlertView(view) && (state === 'resolved' || state === 'problem') && thread.state !== 'resolved';
      if (turn !== undefined && isAlertView(view)) {
        await api.call('chat.update', { channel, ts: thread.ts, ...args(renderSlackTurn(view, turn, thread.firstAt)) });
        await keep(key, { ...thread, state: view.type });
      } else if (rewrite) {
        const reply = state === 'resolved';
        await api.call('chat.update', { channel, ts: thread.ts, ...args(renderSlackApp(view, { reply })) });
        await keep(key, { ...thread, state });
      }
      await api.call('chat.postMessage', {
        channel,
        thread_ts: thread.ts,
        ...args(renderSlackApp(view, { reply: true })),
        unfurl_links: false,
        unfurl_media: false,
      });
    },
  };
}
