import { type HealthNotice, fixLine, healthText } from '../../alerts';
import { escapeSlack } from './escape';
import type { SlackMessage } from './render';

/**
 * A health notice for Slack: `text` (what notifications show) begins with `Relay health:`; the lines and commands
 * are `plain_text`, so nothing in them is parsed. A notice holds only checked names and codes, and escaping the
 * top-level text still keeps `<!channel>` and links from forming.
 */
export function renderSlackHealth(notice: HealthNotice): SlackMessage {
  const { title, lines, fix } = healthText(notice);
  const body = [...lines, ...(fix.length > 0 ? [fixLine(fix)] : [])].join('\n');
  return {
    text: escapeSlack(title),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: false } },
      { type: 'section', text: { type: 'plain_text', text: body, emoji: false } },
      {
        type: 'context',
        elements: [{ type: 'plain_text', text: `Relay: notice ${notice.key}`, emoji: false }],
      },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}
