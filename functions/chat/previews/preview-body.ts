import type { ChatBody } from '../platforms';
import { h } from './dom';
import { renderSlackMessage } from './slack-blocks';
import { renderTeamsMessage } from './teams-card';

/** What a preview shows: a platform's body as sent, or the console's text. */
export type PreviewBody = ChatBody | { readonly kind: 'console'; readonly body: string };

/** How a page names each kind of preview. */
export const PREVIEW_NAMES: Readonly<Record<PreviewBody['kind'], string>> = {
  slack: 'Slack',
  teams: 'Teams',
  console: 'console',
};

/** A body as its channel shows it. */
export function renderPreviewBody(preview: PreviewBody): HTMLElement {
  switch (preview.kind) {
    case 'slack':
      return renderSlackMessage(preview.body);
    case 'teams':
      return renderTeamsMessage(preview.body);
    case 'console':
      return h('pre', { class: 'console' }, preview.body);
  }
}
