/// <reference lib="dom" />
/*
 * The page `npm run render-alerts` takes its pictures on: one chat body at a time, rendered by the inspector's own
 * preview renderer (functions/chat/previews), so README shows what the inspector shows.
 */
import type { ChatBody } from '../../functions/chat';
import { fill, renderPreviewBody } from '../../functions/chat/previews';

declare global {
  interface Window {
    showChatBody(body: ChatBody): void;
  }
}

window.showChatBody = (chat) => {
  const stage = document.getElementById('stage')!;
  fill(stage, renderPreviewBody(chat));
};
