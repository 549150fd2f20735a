/// <reference lib="dom" />
/*
 * What a person sees: Slack's Block Kit and Teams' Adaptive Cards rendered as the channel shows them, for the
 * inspector's previews and for `npm run render-alerts` (README's pictures). Browser code only: both bundle it for
 * a page, so the two can never show the same body differently.
 */
import './previews.css';

export { append, fill, h, type Child, type Props } from './dom';
export { renderSlackMessage, renderSlackThread } from './slack-blocks';
export { renderTeamsMessage } from './teams-card';
export { PREVIEW_NAMES, renderPreviewBody, type PreviewBody } from './preview-body';
