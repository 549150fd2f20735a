import type { ChatPlatform } from '../platform';
import { renderSlackView } from './render-view';
import { slackSender } from './sender';

/** Slack incoming webhooks, which allow about one message a second per webhook. */
export const slackPlatform: ChatPlatform<'slack'> = {
  kind: 'slack',
  label: 'Slack',
  hosts: ['hooks.slack.com'],
  hostSuffixes: [],
  messagesPerSecond: 1,
  render: renderSlackView,
  createSender: slackSender,
};
