import type { ChatPlatform } from '../platform';
import { renderTeamsView } from './render-view';
import { teamsSender } from './sender';

/**
 * Teams Workflows webhooks ("When a Teams webhook request is received"). A Workflow posts through the Teams
 * connector, which is throttled per connection, so it is paced as Slack is.
 */
export const teamsPlatform = {
  kind: 'teams',
  label: 'Teams Workflows',
  productName: 'Microsoft Teams',
  webhookName: 'Teams Workflows webhook',
  hosts: ['flow.microsoft.com'],
  hostSuffixes: ['.logic.azure.com', '.environment.api.powerplatform.com', '.powerautomate.com'],
  retired: {
    name: 'Office 365 connector',
    hosts: ['outlook.office.com'],
    hostSuffixes: ['.webhook.office.com'],
    advice:
      'Office 365 connectors (incoming webhooks) are retired by Microsoft. In Teams, open the channel\'s "Workflows", ' +
      'choose the template "Send webhook alerts to a channel" (trigger "When a Teams webhook request is received"), ' +
      'and use the URL that flow shows.',
  },
  messagesPerSecond: 1,
  render: renderTeamsView,
  createSender: teamsSender,
} satisfies ChatPlatform<'teams'>;
