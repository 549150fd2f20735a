/** Chat platforms (the registry, their renderers and senders), URL checks and HTTP: the face of chat/ for other concerns. */
export { type AlertSender, DEFAULT_SEND_TIMEOUT_MS, type SendVerb } from './alert-sender';
export { renderConsoleHealth } from './console/render-health';
export { renderConsoleView } from './console/render';
export { createDestinationSender, isPreview, kindLabel } from './destination-sender';
export { checkDestinationUrl } from './destination-url';
export { classifyHttpFailure, classifyNoReply } from './classify-failure';
export { DeliveryError, PostFailure } from './errors';
export { post } from './http-post';
export { type ChatBody, checkedByHeartbeat, createSender, PLATFORM_LIST, PLATFORMS, renderChatBody } from './platforms';
export {
  decodeSlackAction,
  encodeSlackAction,
  MUTE_RECIPIENT_MS,
  MUTE_SENDER_DOMAIN_MS,
  SLACK_ACTION_IDS,
  SLACK_ACTIONS_BLOCK_ID,
  type SlackAction,
  type SlackActionName,
} from './slack/app-actions';
export {
  acknowledgedMessage,
  type MuteReply,
  muteReply,
  SLACK_USER_ID,
  type SlackMessageUpdate,
  undoneMessage,
} from './slack/app-messages';
export {
  perDestinationVariable,
  readSlackAppSecret,
  SLACK_APP_ENV,
  SLACK_APP_SECRET_FIELDS,
  type SlackAppCredentials,
  type SlackAppCredentialSource,
  slackAppCredentials,
  type SlackAppDestination,
  type SlackAppSecret,
  type SlackAppSecretField,
} from './slack/app-credentials';
export { probeSlackApp } from './slack/app-probe';
export { renderSlackApp, renderSlackTurn, slackActionsOf, turnOf, withActions } from './slack/app-render';
export { slackAppSender, type SlackAppSenderOptions, threadKeyOf } from './slack/app-sender';
export {
  MemoryThreadStore,
  messageKeyOf,
  messageThreadKey,
  type SlackThread,
  type SlackThreadStore,
  THREAD_RETENTION_MS,
} from './slack/threads';
export { slackLiteral } from './slack/escape';
export { renderSlackHealth } from './slack/render-health';
export { renderSlackView } from './slack/render-view';
export { renderSlack, SLACK_COLORS, slackBlocks, type SlackMessage } from './slack/render';
export {
  classifyApiError,
  DEFAULT_SLACK_API_BASE_URL,
  SLACK_APP_BROKEN_ERRORS,
  type SlackApiReply,
  type SlackWebApi,
  type SlackWebApiOptions,
  slackWebApi,
} from './slack/web-api';
export { escapeTeams } from './teams/escape';
export { renderTeamsHealth } from './teams/render-health';
export { renderTeamsView } from './teams/render-view';
export { renderTeams, TEAMS_CARD_VERSION, TEAMS_MAX_BYTES, type TeamsMessage } from './teams/render';
export { APP_CHAT_KIND, CHAT_KINDS, type ChatKind, DEFAULT_CHAT_KIND, isChatKind } from './kinds';
export { PICTURED as PREVIEW_PICTURED_CLASS } from './previews/pictured';
