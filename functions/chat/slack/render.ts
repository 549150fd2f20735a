import type {
  ActionsBlock,
  ContextBlock,
  HeaderBlock,
  MrkdwnElement,
  PlainTextElement,
  SectionBlock,
} from '@slack/types';
import {
  type AlertView,
  type DigestView,
  digestContextLine,
  digestFacts,
  digestShowsFingerprints,
  type DigestList,
  digestGuidance,
  digestLists,
  digestSeverity,
  digestSummaryLine,
  itemLine,
  alertFacts,
  alertSeverity,
  alertShowsFingerprints,
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
  blocks: SlackBlock[];
  /**
   * Alerts and digests: one attachment holding everything under the header, for the only colour Block Kit
   * messages can show, the bar at the attachment's left edge (red for a hard bounce, yellow for a soft one).
   */
  attachments?: [{ color: string; blocks: SlackBlock[] }];
  /** No previews, in case a value Slack shows ever turns into a link. */
  unfurl_links: false;
  unfurl_media: false;
}

/** Actions only in app mode: an incoming webhook's message cannot carry buttons that call anyone back. */
export type SlackBlock = HeaderBlock | SectionBlock | ContextBlock | ActionsBlock;

/** Every block of a message, the attachment's after the top-level ones, in the order Slack shows them. */
export function slackBlocks(message: SlackMessage): SlackBlock[] {
  return [...message.blocks, ...(message.attachments?.flatMap((a) => a.blocks) ?? [])];
}

/** Slack's own red, yellow and green, and a neutral grey: the attachment bar of each severity. */
export const SLACK_COLORS: Readonly<Record<Severity | 'good', string>> = {
  error: '#E01E5A',
  warning: '#ECB22E',
  good: '#2EB67D',
  info: '#9EA0A4',
};

/** The header on its own, the rest beside the severity's colour bar. */
export function coloured(
  text: string,
  head: HeaderBlock,
  color: string,
  rest: SlackBlock[],
): Pick<SlackMessage, 'text' | 'blocks' | 'attachments'> {
  return { text, blocks: [head], attachments: [{ color, blocks: rest }] };
}

export function plain(text: string): PlainTextElement {
  // emoji: false keeps `:shortcodes:` in values as typed.
  return { type: 'plain_text', text, emoji: false };
}

/** Our own label, bold; never input. */
export function label(text: string): MrkdwnElement {
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

/** Header marks: the severity also shows in the header's first character, for notifications and colour blindness. */
const SEVERITY_MARKS: Readonly<Record<Severity, string>> = { error: '✖', warning: '⚠', info: 'ℹ' };

export function header(title: string, severity: Severity): HeaderBlock {
  return { type: 'header', text: plain(tidy(`${SEVERITY_MARKS[severity]} ${title}`, SLACK_LIMITS.headerText)) };
}

/** The guidance, in a section of its own under the header: our own words, as plain text. */
export function guidance(text: string): SectionBlock {
  return { type: 'section', text: plain(`What to do: ${text}`) };
}

export function sectionsOf(fields: (MrkdwnElement | PlainTextElement)[]): SectionBlock[] {
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
  const severity = alertSeverity(view);
  return {
    ...coloured(
      slackLiteral(summaryLine(view)),
      header(view.title, severity),
      colorOf(severity, view.type === 'delivered' && !view.test),
      [guidance(guidanceLine(view)), ...sectionsOf(fields), context(alertShowsFingerprints(view), contextLine(view))],
    ),
    unfurl_links: false,
    unfurl_media: false,
  };
}

const colorOf = (severity: Severity, good: boolean): string => SLACK_COLORS[good ? 'good' : severity];

/** The fingerprint note where the message shows a fingerprint, then the relay's own line. */
function context(showsFingerprint: boolean, line: string): ContextBlock {
  return { type: 'context', elements: [...(showsFingerprint ? [plain(FINGERPRINT_NOTE)] : []), plain(line)] };
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
  const fields: (MrkdwnElement | PlainTextElement)[] = [...summary];
  const wide: SectionBlock[] = [];
  for (const list of digestLists(view, maxItems)) {
    const lines = [...list.items.map(itemLine), ...(list.more !== undefined ? [list.more] : [])];
    const value = plain(cut(lines.join('\n'), SLACK_LIMITS.fieldText));
    // Long values (Message-IDs, addresses) get the message's full width: a half-width field breaks each in two.
    if (WIDE_LISTS.has(list.id))
      wide.push({ type: 'section', text: label(list.label) }, { type: 'section', text: value });
    else fields.push(label(list.label), value);
  }
  const severity = digestSeverity(view);
  return {
    ...coloured(
      slackLiteral(digestSummaryLine(view)),
      header(view.title, severity),
      colorOf(severity, view.category === 'delivered'),
      [
        guidance(digestGuidance(view)),
        ...sectionsOf(fields),
        ...wide,
        context(digestShowsFingerprints(view), digestContextLine(view)),
      ],
    ),
    unfurl_links: false,
    unfurl_media: false,
  };
}

const WIDE_LISTS: ReadonlySet<DigestList['id']> = new Set([
  'messageIds',
  'recipients',
  'repeatedRecipients',
  'stopSending',
]);

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
