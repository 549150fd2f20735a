import type { ContextBlock, HeaderBlock, MrkdwnElement, PlainTextElement, SectionBlock } from '@slack/types';
import {
  type AlertView,
  type DigestView,
  digestContextLine,
  digestFacts,
  digestGuidance,
  digestLists,
  digestSeverity,
  digestSummaryLine,
  itemLine,
  alertFacts,
  alertSeverity,
  contextLine,
  factValue,
  guidanceLine,
  summaryLine,
  cut,
  tidy,
  formatTime,
  FINGERPRINT_NOTE,
  type Severity,
} from '../../alerts';
import { escapeSlack, slackLiteral } from './escape';

/** Slack's documented Block Kit limits (api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = {
  blocks: 50,
  headerText: 150,
  sectionFields: 10,
  fieldText: 2000,
  contextElements: 10,
  /** Slack refuses block payloads near 13,000 characters (`msg_blocks_too_long`); stay well below. */
  bodyChars: 12_000,
} as const;

/**
 * A Slack incoming-webhook body; assignable to `IncomingWebhookSendArguments` of `@slack/webhook`.
 * Untrusted values only ever appear in `plain_text` objects (or, in `text`, escaped and limited to domains).
 */
export interface SlackMessage {
  /** Notification and fallback text: event type and domains only. */
  text: string;
  blocks: (HeaderBlock | SectionBlock | ContextBlock)[];
  /** No previews, in case a value Slack shows ever turns into a link. */
  unfurl_links: false;
  unfurl_media: false;
}

function plain(text: string): PlainTextElement {
  // emoji: false keeps `:shortcodes:` in values as typed.
  return { type: 'plain_text', text, emoji: false };
}

/** Our own label, bold; never input. */
function label(text: string): MrkdwnElement {
  return { type: 'mrkdwn', text: `*${slackLiteral(text)}*` };
}

/**
 * `<!date^1763647391^{date_short_pretty} {time}|2026-11-20 14:03 UTC>`: Slack shows the reader's own time. Built
 * from our own epoch number and our own formatting of it, never from input text.
 */
export function slackDate(ms: number, timeZone: string): string {
  const seconds = Math.floor(ms / 1000);
  return `<!date^${seconds}^{date_short_pretty} {time}|${escapeSlack(formatTime(ms, timeZone))}>`;
}

/** A time value: a date token (mrkdwn, our own text only) when the time is known, else the cleaned text. */
function timeValue(text: string, at: number | undefined, timeZone: string): MrkdwnElement | PlainTextElement {
  return at === undefined
    ? plain(cut(text, SLACK_LIMITS.fieldText))
    : { type: 'mrkdwn', text: slackDate(at, timeZone) };
}

/** Header marks: Block Kit has no colours, so severity shows as the first character of the header. */
const SEVERITY_MARKS: Readonly<Record<Severity, string>> = { error: '✖', warning: '⚠', info: 'ℹ' };

function header(title: string, severity: Severity): HeaderBlock {
  return { type: 'header', text: plain(tidy(`${SEVERITY_MARKS[severity]} ${title}`, SLACK_LIMITS.headerText)) };
}

/** The guidance, in a section of its own under the header: our own words, as plain text. */
function guidance(text: string): SectionBlock {
  return { type: 'section', text: plain(`What to do: ${text}`) };
}

function sectionsOf(fields: (MrkdwnElement | PlainTextElement)[]): SectionBlock[] {
  const sections: SectionBlock[] = [];
  for (let i = 0; i < fields.length; i += SLACK_LIMITS.sectionFields) {
    // Fields come in pairs and 10 is even, so a label never ends up in another section than its value.
    sections.push({ type: 'section', fields: fields.slice(i, i + SLACK_LIMITS.sectionFields) });
  }
  return sections;
}

/**
 * Renders an alert as a Block Kit message: a header with the title, label/value pairs laid out by
 * section `fields` in Slack's two-column grid (labels in mrkdwn, values as `plain_text` with
 * `emoji: false`, which Slack never parses for mentions, links or formatting), and a context line.
 *
 * The top-level `text`, which Slack parses as mrkdwn and shows in notifications, holds only the title,
 * event type and domains, escaped (`&<>`) and with mrkdwn formatting characters neutralised.
 */
export function renderSlack(view: AlertView): SlackMessage {
  const fields = alertFacts(view).flatMap((fact) => [
    label(fact.label),
    fact.id === 'time'
      ? timeValue(factValue(fact), fact.at, view.timeZone)
      : plain(cut(factValue(fact), SLACK_LIMITS.fieldText)),
  ]);
  return {
    text: slackLiteral(summaryLine(view)),
    blocks: [
      header(view.title, alertSeverity(view)),
      guidance(guidanceLine(view)),
      ...sectionsOf(fields),
      { type: 'context', elements: [plain(FINGERPRINT_NOTE), plain(contextLine(view))] },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

/** Items shown per digest list, most first: the first count whose message fits {@link SLACK_LIMITS} is used. */
const DIGEST_ITEM_STEPS = [10, 5, 3, 1] as const;

function slackDigest(view: DigestView, maxItems: number): SlackMessage {
  const summary = digestFacts(view).flatMap((fact) => [
    label(fact.label),
    fact.range === undefined
      ? plain(cut(fact.value, SLACK_LIMITS.fieldText))
      : {
          type: 'mrkdwn' as const,
          text:
            fact.range.from === fact.range.to
              ? slackDate(fact.range.from, view.timeZone)
              : `${slackDate(fact.range.from, view.timeZone)} to ${slackDate(fact.range.to, view.timeZone)}`,
        },
  ]);
  const lists = digestLists(view, maxItems).flatMap((list) => {
    const lines = [...list.items.map(itemLine), ...(list.more !== undefined ? [list.more] : [])];
    return [label(list.label), plain(cut(lines.join('\n'), SLACK_LIMITS.fieldText))];
  });
  return {
    text: slackLiteral(digestSummaryLine(view)),
    blocks: [
      header(view.title, digestSeverity(view)),
      guidance(digestGuidance(view)),
      ...sectionsOf([...summary, ...lists]),
      { type: 'context', elements: [plain(FINGERPRINT_NOTE), plain(digestContextLine(view))] },
    ],
    unfurl_links: false,
    unfurl_media: false,
  };
}

/**
 * Renders a digest as one Block Kit message: a header ("1,234 messages failed to send"), the counts by type,
 * the time range, the sender, then the busiest recipient domains and senders with their counts and the first
 * Message-IDs, each list ending "and N more …". As in {@link renderSlack}, values are `plain_text` only.
 * Lists are shortened until the body fits {@link SLACK_LIMITS}, so a digest of any size and content fits.
 */
export function renderSlackDigest(view: DigestView): SlackMessage {
  for (const maxItems of DIGEST_ITEM_STEPS) {
    const message = slackDigest(view, maxItems);
    if (JSON.stringify(message).length <= SLACK_LIMITS.bodyChars) return message;
  }
  // Counts, time and sender only: a few hundred characters whatever the input.
  return slackDigest(view, 0);
}
