import type { ActionsBlock, Button, SectionBlock } from '@slack/types';
import { type AlertView, type ChatView, isDigestView, isSendingNotice, SHORT_TYPE_LABELS } from '../../alerts';
import { encodeSlackAction, SLACK_ACTION_IDS, SLACK_ACTIONS_BLOCK_ID, type SlackAction } from './app-actions';
import { header, plain, SLACK_COLORS, type SlackMessage, slackDate } from './render';
import { renderSlackView } from './render-view';
import { messageKeyOf } from './threads';

/**
 * What a destination in Slack app mode posts: the webhook's Block Kit, plus the buttons of an alert (Acknowledge,
 * Mute recipient 24 h, Mute sender domain 4 h) in an actions block at the end of its attachment; and the first alert
 * of a message as it reads once the message's story changed (delivered after all, or failed for good).
 */

const BUTTON_LABELS: Readonly<Record<SlackAction['name'], string>> = {
  acknowledge: 'Acknowledge',
  muteRecipient: 'Mute recipient 24 h',
  muteSenderDomain: 'Mute sender domain 4 h',
  undoSilence: 'Undo',
};

function button(action: SlackAction): Button {
  return {
    type: 'button',
    action_id: SLACK_ACTION_IDS[action.name],
    text: plain(BUTTON_LABELS[action.name]),
    value: encodeSlackAction(action),
  };
}

/**
 * The buttons of a view: an alert's three (its recipient by fingerprint, never by address, at every detail level),
 * a bounce-rate alert's acknowledge and domain mute; none for anything else, nor for a test alert.
 */
export function slackActionsOf(view: ChatView): SlackAction[] {
  if (isSendingNotice(view)) {
    if (view.sending !== 'rate' || view.state === 'resolved') return [];
    const senderDomain = view.senderDomain;
    return [
      { name: 'acknowledge', senderDomain },
      { name: 'muteSenderDomain', senderDomain },
    ];
  }
  if (!isAlertView(view) || view.test) return [];
  const key = messageKeyOf(view);
  const keyed = key !== undefined ? { messageKey: key } : {};
  const fingerprint = view.recipientFingerprints[0];
  return [
    // Acknowledging an alert acknowledges its sender domain's bounce-rate alert too, should one be raised.
    ...(key !== undefined
      ? [
          {
            name: 'acknowledge' as const,
            messageKey: key,
            ...(view.senderDomain !== '' ? { senderDomain: view.senderDomain } : {}),
          },
        ]
      : []),
    ...(fingerprint !== undefined ? [{ name: 'muteRecipient' as const, ...keyed, fingerprint }] : []),
    ...(view.senderDomain !== ''
      ? [{ name: 'muteSenderDomain' as const, ...keyed, senderDomain: view.senderDomain }]
      : []),
  ];
}

export function isAlertView(view: ChatView): view is AlertView {
  return 'type' in view && 'recipientFingerprints' in view && !isDigestView(view);
}

/** `message` with `actions` as an actions block at the end of its attachment (or of its blocks, without one). */
export function withActions(message: SlackMessage, actions: readonly SlackAction[]): SlackMessage {
  if (actions.length === 0) return message;
  const block: ActionsBlock = { type: 'actions', block_id: SLACK_ACTIONS_BLOCK_ID, elements: actions.map(button) };
  const [attachment] = message.attachments ?? [];
  if (attachment) return { ...message, attachments: [{ ...attachment, blocks: [...attachment.blocks, block] }] };
  return { ...message, blocks: [...message.blocks, block] };
}

/** A view as app mode posts it: with its buttons, unless it is a reply in a thread (its first message has them). */
export function renderSlackApp(view: ChatView, options: { readonly reply: boolean }): SlackMessage {
  const message = renderSlackView(view);
  return options.reply ? message : withActions(message, slackActionsOf(view));
}

/** How a message's first alert changes when a later event tells more of its story; none when it does not. */
export type Turn = 'delivered_after_all' | 'failed_after_all';

/** The turn of a message whose first alert shows `shown` on an event of `view.type`. */
export function turnOf(shown: string, view: AlertView): Turn | undefined {
  if (shown !== 'temporary_failure') return undefined;
  if (view.type === 'delivered' || view.type === 'opened') return 'delivered_after_all';
  return view.type === 'permanent_failure' ? 'failed_after_all' : undefined;
}

/**
 * The first alert of a message, rewritten for its turn from the later event's view (the same message, so the same
 * facts): ✓ and green with "delivered after all at …", or red "failed after all"; a line says when it first failed.
 * Keeps the buttons.
 */
export function renderSlackTurn(view: AlertView, turn: Turn, firstAt: number | undefined): SlackMessage {
  const message = renderSlackApp(view, { reply: false });
  const when = (at: number | undefined, text: string) => (at === undefined ? text : slackDate(at, view.timeZone));
  const first =
    firstAt === undefined ? '' : `First not delivered (temporary failure) at ${slackDate(firstAt, view.timeZone)}; `;
  const delivered = turn === 'delivered_after_all';
  const verb = delivered ? `${SHORT_TYPE_LABELS[view.type]} after all` : 'failed permanently after all';
  const note: SectionBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `${first}*${verb}* at ${when(view.at, 'a later time')}.` },
  };
  const title = delivered ? `✓ Message ${SHORT_TYPE_LABELS[view.type]} after all` : `${view.title} after all`;
  const head = delivered ? { type: 'header' as const, text: plain(title) } : header(title, 'error');
  const [attachment] = message.attachments ?? [];
  return {
    ...message,
    text: delivered ? `✓ ${message.text}` : message.text,
    blocks: [head],
    attachments: [
      {
        color: SLACK_COLORS[delivered ? 'good' : 'error'],
        blocks: [note, ...(attachment?.blocks ?? [])],
      },
    ],
  };
}
