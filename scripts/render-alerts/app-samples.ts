import { toAlertView } from '../../functions/alerts';
import { renderSlackApp, renderSlackTurn, type SlackMessage } from '../../functions/chat';
import type { RelayEvent } from '../../functions/paubox';
import { fixture, FINGERPRINT_KEY } from './samples';

/**
 * What a destination in Slack app mode shows (docs/slack-app.md): an alert with its buttons, and the thread of a
 * message that failed for a while and was delivered after all, its first alert rewritten, the delivery a reply.
 */
export interface AppSample {
  readonly name: string;
  readonly first: SlackMessage;
  /** A thread's replies; none for a lone message. */
  readonly replies: readonly SlackMessage[];
}

export function appSamples(): AppSample[] {
  const soft = fixture('temporary_failure');
  // The same message, delivered 40 minutes later.
  const delivered: RelayEvent = {
    ...fixture('delivered'),
    sourceTrackingId: soft.sourceTrackingId,
    messageId: soft.messageId,
    recipients: soft.recipients,
    recipientDomains: soft.recipientDomains,
    time: new Date(Date.parse(soft.time) + 40 * 60_000).toISOString(),
  } as RelayEvent;
  const options = { destination: 'clinic-app', detail: 'minimal' as const, fingerprintKey: FINGERPRINT_KEY };
  const softView = toAlertView(soft, options, { deliveryStatus: 'soft bounced - mailbox full' });
  const deliveredView = toAlertView(delivered, options);
  return [
    { name: 'slack-app-buttons', first: renderSlackApp(softView, { reply: false }), replies: [] },
    {
      name: 'slack-app-thread',
      first: renderSlackTurn(deliveredView, 'delivered_after_all', softView.at),
      replies: [renderSlackApp(deliveredView, { reply: true })],
    },
  ];
}
