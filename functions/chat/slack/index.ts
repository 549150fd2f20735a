import type { ChatPlatform } from '../platform';
import { classifySlackProbe } from './probe';
import { renderSlackView } from './render-view';
import { slackSender } from './sender';

/** Slack incoming webhooks, which allow about one message a second per webhook. */
export const slackPlatform = {
  kind: 'slack',
  label: 'Slack',
  productName: 'Slack',
  webhookName: 'Slack incoming webhook',
  hosts: ['hooks.slack.com'],
  hostSuffixes: [],
  classifyProbe: classifySlackProbe,
  messagesPerSecond: 1,
  render: renderSlackView,
  createSender: slackSender,
} satisfies ChatPlatform<'slack'>;
