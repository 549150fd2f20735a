import type { SlackMessage } from '../../functions/chat/slack/render';

/**
 * A faithful HTML rendering of the Block Kit the relay sends (header, section text and two-column fields, context),
 * in Slack's light theme. mrkdwn is rendered as Slack does for what the relay uses: `*bold*`, `&lt;`-style
 * entities, and `<!date^…^{date_short_pretty} {time}|…>` shown in the reader's zone (`timeZone`).
 */

const html = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Slack's `{date_short_pretty} {time}`: "Nov 20th, 2026 9:03 AM" (or Today/Yesterday, not used here). */
function slackDateText(seconds: number, timeZone: string): string {
  const date = new Date(seconds * 1000);
  const part = (options: Intl.DateTimeFormatOptions) => new Intl.DateTimeFormat('en-US', { timeZone, ...options });
  const day = Number(part({ day: 'numeric' }).format(date));
  const teen = day >= 11 && day <= 13;
  const suffix = teen ? 'th' : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th');
  const month = part({ month: 'short' }).format(date);
  const year = part({ year: 'numeric' }).format(date);
  const time = part({ hour: 'numeric', minute: '2-digit' }).format(date);
  return `${month} ${day}${suffix}, ${year} ${time}`;
}

/** mrkdwn as Slack shows it, for the subset the relay writes. */
function mrkdwn(text: string, timeZone: string): string {
  const decoded = (t: string) => t.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  let out = '';
  let rest = text;
  const token = /<!date\^(\d+)\^[^|>]*\|[^>]*>/;
  for (let m = token.exec(rest); m; m = token.exec(rest)) {
    out += html(decoded(rest.slice(0, m.index)));
    out += `<span class="date">${html(slackDateText(Number(m[1]), timeZone))}</span>`;
    rest = rest.slice(m.index + m[0].length);
  }
  out += html(decoded(rest));
  return out.replace(/\*([^*]+)\*/g, '<b>$1</b>');
}

type TextObject = { type: string; text: string };

function textOf(object: TextObject, timeZone: string): string {
  return object.type === 'mrkdwn' ? mrkdwn(object.text, timeZone) : html(object.text);
}

/** `postedAt`: when the message reached the channel (epoch ms), for the time Slack shows beside the sender. */
export function slackHtml(message: SlackMessage, timeZone: string, postedAt: number): string {
  const stamp = new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit' }).format(postedAt);
  const blocksHtml = (list: SlackMessage['blocks']) =>
    list
    .map((block) => {
      if (block.type === 'header') return `<div class="header">${html(block.text.text)}</div>`;
      if (block.type === 'context') {
        const items = block.elements.map((e) => `<span>${textOf(e as TextObject, timeZone)}</span>`).join('');
        return `<div class="context">${items}</div>`;
      }
      const text = block.text ? `<div class="text">${textOf(block.text as TextObject, timeZone)}</div>` : '';
      const fields = (block.fields ?? []).map((f) => `<div class="field">${textOf(f as TextObject, timeZone)}</div>`);
      return `<div class="section">${text}${fields.length ? `<div class="fields">${fields.join('')}</div>` : ''}</div>`;
    })
    .join('\n');
  const attachments = (message.attachments ?? []).map(
    (a) => `<div class="attachment" style="border-left-color: ${html(a.color)}">${blocksHtml(a.blocks)}</div>`,
  );
  const blocks = [blocksHtml(message.blocks), ...attachments].join('\n');
  return `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; background: #fff; font: 15px/1.46668 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif;
  color: #1d1c1d; }
.message { display: flex; gap: 8px; padding: 12px 20px; width: 640px; }
.avatar { width: 36px; height: 36px; border-radius: 6px; background: #1264a3; color: #fff; font-weight: 700;
  display: flex; align-items: center; justify-content: center; flex: none; }
.name { font-weight: 900; } .app { font-size: 10px; background: #e8e8e8; color: #616061; padding: 1px 3px;
  border-radius: 2px; margin-left: 4px; font-weight: 700; }
.stamp { color: #616061; font-size: 12px; margin-left: 6px; }
.header { font-size: 18px; font-weight: 900; margin: 6px 0 4px; }
.section { margin: 4px 0 8px; } .text { white-space: pre-wrap; }
.fields { display: grid; grid-template-columns: 1fr 1fr; column-gap: 16px; row-gap: 8px; }
.field { white-space: pre-wrap; overflow-wrap: anywhere; }
.context { font-size: 12px; color: #616061; display: flex; flex-direction: column; gap: 2px; margin-top: 6px; }
.date { color: #1264a3; }
.attachment { border-left: 4px solid #dddddd; border-radius: 4px 0 0 4px; padding-left: 12px; }
</style><div class="message"><div class="avatar">P</div><div>
<div><span class="name">Paubox alert relay</span><span class="app">APP</span><span class="stamp">${html(stamp)}</span></div>
${blocks}</div></div>`;
}
