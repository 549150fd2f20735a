/// <reference lib="dom" />
import type { SlackMessage } from '../slack/render';
import { PICTURED } from './pictured';
import { h, type Child } from './dom';
import { slackDateText } from './slack-date';
import { parseMrkdwn, type MrkdwnNode } from './slack-mrkdwn';

/** A Block Kit text object as Slack sends it: `plain_text` is shown as is, `mrkdwn` is formatted. */
interface TextObject {
  readonly type?: string;
  readonly text?: string;
}

function mrkdwnNodes(nodes: readonly MrkdwnNode[]): Child[] {
  return nodes.map((node): Child => {
    switch (node.type) {
      case 'text':
        return node.text;
      case 'bold':
        return h('b', null, mrkdwnNodes(node.children));
      case 'italic':
        return h('i', null, mrkdwnNodes(node.children));
      case 'strike':
        return h('s', null, mrkdwnNodes(node.children));
      case 'code':
        return h('code', { class: 'sk-code' }, node.text);
      case 'pre':
        return h('pre', { class: 'sk-pre' }, node.text);
      case 'link':
        // Looks like Slack's link; leads nowhere from here.
        return h('span', { class: 'sk-link', attrs: { title: node.url } }, node.label);
      case 'mention':
        return h('span', { class: 'sk-mention', attrs: { title: 'this would notify people' } }, node.label);
      case 'date':
        return h(
          'span',
          { class: 'sk-date', attrs: { title: node.fallback } },
          slackDateText(node.seconds, node.format),
        );
      case 'quote':
        return h('blockquote', { class: 'sk-quote' }, mrkdwnNodes(node.children));
      case 'br':
        return h('br');
      default:
        return null;
    }
  });
}

export function slackText(text: TextObject | undefined): Child[] {
  if (!text || typeof text.text !== 'string') return [];
  return text.type === 'mrkdwn' ? mrkdwnNodes(parseMrkdwn(text.text)) : [text.text];
}

function block(raw: unknown): HTMLElement {
  const b = (raw ?? {}) as { type?: string; text?: TextObject; fields?: TextObject[]; elements?: TextObject[] };
  switch (b.type) {
    case 'header':
      return h('div', { class: 'sk-header' }, slackText(b.text));
    case 'section':
      return h(
        'div',
        { class: 'sk-section' },
        b.text ? h('div', { class: 'sk-section-text' }, slackText(b.text)) : null,
        b.fields
          ? h(
              'div',
              { class: 'sk-fields' },
              b.fields.map((f) => h('div', { class: 'sk-field' }, slackText(f))),
            )
          : null,
      );
    case 'context':
      return h(
        'div',
        { class: 'sk-context' },
        (b.elements ?? []).map((e) =>
          e.type === 'image'
            ? h('span', { class: 'sk-context-item' }, '[image]')
            : h('span', { class: 'sk-context-item' }, slackText(e)),
        ),
      );
    case 'divider':
      return h('hr', { class: 'sk-divider' });
    case 'actions':
      // A Slack app's buttons; here they call nobody.
      return h(
        'div',
        { class: 'sk-actions' },
        ((raw as { elements?: { type?: string; text?: TextObject }[] }).elements ?? []).map((e) =>
          e.type === 'button' ? h('span', { class: 'sk-button' }, slackText(e.text)) : null,
        ),
      );
    default:
      return h('div', { class: 'sk-unknown' }, `[${String(b.type)} block: not shown here]`);
  }
}

/** The message itself: app name, then its blocks. */
function messageBox(message: SlackMessage, pictured: boolean): HTMLElement {
  return h(
    'div',
    { class: pictured ? `sk-message ${PICTURED}` : 'sk-message' },
    h('div', { class: 'sk-sender' }, h('b', null, 'Paubox alert relay'), ' ', h('span', { class: 'sk-app' }, 'APP')),
    message.blocks.map(block),
    (message.attachments ?? []).map(attachment),
  );
}

const notification = (message: SlackMessage): HTMLElement =>
  h(
    'p',
    { class: 'sk-notification' },
    h('span', { class: 'label' }, 'Notification text: '),
    mrkdwnNodes(parseMrkdwn(message.text)),
  );

/** A Slack message as the channel shows it: app name, then its blocks; the notification text comes first, apart. */
export function renderSlackMessage(message: SlackMessage): HTMLElement {
  return h('div', { class: 'slack' }, notification(message), messageBox(message, true));
}

/** A Slack app's thread: its first message as it reads now, then its replies, as Slack's thread pane shows them. */
export function renderSlackThread(first: SlackMessage, replies: readonly SlackMessage[]): HTMLElement {
  const count = `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`;
  return h(
    'div',
    { class: 'slack' },
    notification(first),
    h(
      'div',
      { class: `sk-thread ${PICTURED}` },
      messageBox(first, false),
      h('div', { class: 'sk-thread-count' }, count),
      h(
        'div',
        { class: 'sk-replies' },
        replies.map((reply) => messageBox(reply, false)),
      ),
    ),
  );
}

/** An attachment as Slack shows it: its blocks beside a bar in its colour (a hex colour only; else Slack's grey). */
function attachment(a: NonNullable<SlackMessage['attachments']>[number]): HTMLElement {
  const element = h('div', { class: 'sk-attachment' }, a.blocks.map(block));
  // Through the CSSOM, which the page's content policy allows (it refuses inline style attributes).
  if (/^#[0-9a-fA-F]{6}$/.test(a.color)) element.style.borderLeftColor = a.color;
  return element;
}
