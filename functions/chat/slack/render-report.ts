import type { MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import {
  itemLine,
  reportContextLine,
  reportFacts,
  reportLists,
  reportSummaryLine,
  type ReportView,
  cut,
  tidy,
} from '../../alerts';
import { slackLiteral } from './escape';
import { SLACK_LIMITS, type SlackMessage } from './render';

const plain = (text: string): PlainTextElement => ({ type: 'plain_text', text, emoji: false });
const label = (text: string): MrkdwnElement => ({ type: 'mrkdwn', text: `*${slackLiteral(text)}*` });

/**
 * A report as one Block Kit message, escaped as alerts are: labels are our own words in mrkdwn, every value
 * (domains and header values from the archive included) is `plain_text` with `emoji: false`, and the notification
 * `text` holds counts only. Ten items a list, at most: a few kilobytes whatever the archive holds.
 */
export function renderSlackReport(view: ReportView): SlackMessage {
  const fields = [
    ...reportFacts(view).flatMap((fact) => [label(fact.label), plain(cut(fact.value, SLACK_LIMITS.fieldText))]),
    ...reportLists(view, 10).flatMap((list) => [
      label(list.label),
      plain(cut(list.items.map(itemLine).join('\n'), SLACK_LIMITS.fieldText)),
    ]),
  ];
  const sections: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.sectionFields) {
    sections.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.sectionFields) });
  }
  return {
    text: slackLiteral(reportSummaryLine(view)),
    blocks: [
      { type: 'header', text: plain(tidy(view.title, SLACK_LIMITS.headerText)) },
      ...sections,
      { type: 'context', elements: [plain(reportContextLine(view))] },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}
