/// <reference lib="dom" />
/*
 * The page `npm run render-alerts` takes its pictures on: one chat body at a time, rendered by the inspector's own
 * preview renderer (functions/chat/previews), so README shows what the inspector shows.
 */
import type { ChatBody, SlackMessage } from '../../functions/chat';
import { fill, renderPreviewBody, renderSlackThread } from '../../functions/chat/previews';

declare global {
  interface Window {
    showChatBody(body: ChatBody): void;
    showSlackThread(first: SlackMessage, replies: readonly SlackMessage[]): void;
  }
}

window.showSlackThread = (first, replies) => {
  fill(document.getElementById('stage')!, renderSlackThread(first, replies));
};

window.showChatBody = (chat) => {
  const stage = document.getElementById('stage')!;
  fill(stage, renderPreviewBody(chat));
};
