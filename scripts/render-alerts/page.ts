/// <reference lib="dom" />
/*
 * The page `npm run render-alerts` takes its pictures on: one chat body at a time, rendered by the inspector's own
 * preview renderer (functions/previews), so README shows what the inspector shows.
 */
import { fill, renderSlackMessage, renderTeamsMessage } from '../../functions/previews';
import type { ChatBody } from './page-html';

declare global {
  interface Window {
    showChatBody(body: ChatBody): void;
  }
}

window.showChatBody = (chat) => {
  const stage = document.getElementById('stage')!;
  fill(stage, chat.kind === 'slack' ? renderSlackMessage(chat.body) : renderTeamsMessage(chat.body));
};
