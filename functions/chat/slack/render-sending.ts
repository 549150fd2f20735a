import type { SendingNotice } from '../../alerts';
import { sendingText } from '../../alerts';
import { slackLiteral } from './escape';
import {
  coloured,
  guidance,
  header,
  label,
  plain,
  sectionsOf,
  SLACK_COLORS,
  SLACK_LIMITS,
  type SlackMessage,
} from './render';
import { cut } from '../../alerts';

/**
 * A sending notice (bounce rate, silence ended) for Slack, laid out like an alert: a header with its severity mark,
 * what to do, label/value pairs and a context line. Values (domains, a silence's reason) are `plain_text` only;
 * the top-level `text` is the title, escaped, with mrkdwn formatting neutralised.
 */
export function renderSlackSending(notice: SendingNotice): SlackMessage {
  const text = sendingText(notice);
  const fields = text.facts.flatMap((fact) => [label(fact.label), plain(cut(fact.value, SLACK_LIMITS.fieldText))]);
  const resolved = notice.sending === 'rate' && notice.state === 'resolved';
  return {
    ...coloured(
      slackLiteral(text.title),
      header(text.title, text.severity),
      SLACK_COLORS[resolved ? 'good' : text.severity],
      [guidance(text.guidance), ...sectionsOf(fields), { type: 'context', elements: [plain(text.context)] }],
    ),
    unfurl_links: false,
    unfurl_media: false,
  };
}
