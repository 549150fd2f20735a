import type { MrkdwnElement, PlainTextElement } from '@slack/types';
import { slackBlocks, type SlackMessage, type TeamsMessage } from '../../functions/chat';

const RFC3339 = String.raw`\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z`;
/** The renderer's own Teams date functions, from an epoch number: only digits where a value goes. */
const OWN_TEAMS_DATE = new RegExp(String.raw`\{\{DATE\(${RFC3339}, SHORT\)\}\} \{\{TIME\(${RFC3339}\)\}\}`, 'g');
/** The renderer's own Slack date token: digits, Slack's tokens, and a fallback of digits and a zone name. */
const OWN_SLACK_DATE =
  /<!date\^\d{1,12}\^\{date_short_pretty\} \{time\}\|\d{4}-\d{2}-\d{2} \d{2}:\d{2} [A-Za-z0-9+:-]{1,10}>/g;

/** A Teams text with the renderer's own DATE/TIME functions taken out, so that what is left can be checked. */
export function withoutOwnTeamsDates(text: string): string {
  return text.replace(OWN_TEAMS_DATE, '');
}

/** A Slack mrkdwn text with the renderer's own date tokens taken out, so that what is left can be checked. */
export function withoutOwnSlackDates(text: string): string {
  return text.replace(OWN_SLACK_DATE, '');
}

const TEAMS_ALWAYS_SPECIAL = new Set('\\`*_{}[]()!|<>~&');

/**
 * Markdown syntax an Adaptive Card renderer would act on: an unescaped special character anywhere,
 * a list or heading marker at the start, a line break, or a dangling backslash.
 */
export function unescapedTeamsMarkdown(text: string): string[] {
  const found: string[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\') {
      if (i + 1 >= text.length) found.push('dangling backslash');
      i++;
    } else if (TEAMS_ALWAYS_SPECIAL.has(c)) {
      found.push(c);
    }
  }
  if (/^\d*[#+.-]/.test(text)) found.push('line-start marker');
  if (/[\r\n\u2028\u2029]/.test(text)) found.push('line break');
  return found;
}

/** What a CommonMark renderer shows for backslash-escaped text. */
export function unescapeTeams(text: string): string {
  return text.replace(/\\([!-/:-@[-`{-~])/g, '$1');
}

/** Every markdown-parsed text of a Teams card: TextBlock texts, fact titles and fact values. */
export function teamsCardTexts(message: TeamsMessage): string[] {
  return message.attachments[0].content.body.flatMap((element) =>
    element.type === 'TextBlock' ? [element.text] : element.facts.flatMap((f) => [f.title, f.value]),
  );
}

/**
 * Every text of a Slack message that Slack parses for mentions and links: the top-level `text` and
 * `mrkdwn` objects (including those without `verbatim`). `plain_text` objects are never parsed.
 */
export function slackParsedTexts(message: SlackMessage): string[] {
  const texts = [message.text];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') {
      const record = value as Record<string, unknown>;
      if (record.type === 'mrkdwn' && typeof record.text === 'string') texts.push(record.text);
      Object.values(record).forEach(visit);
    }
  };
  visit([message.blocks, message.attachments]);
  return texts;
}

export type SlackTextObject = PlainTextElement | MrkdwnElement;

/** Every text object of a Slack message, wherever it sits. */
export function slackTextObjects(message: SlackMessage): SlackTextObject[] {
  return slackBlocks(message).flatMap((block): SlackTextObject[] => {
    switch (block.type) {
      case 'header':
        return [block.text];
      case 'section':
        return [...(block.text ? [block.text as SlackTextObject] : []), ...((block.fields ?? []) as SlackTextObject[])];
      case 'context':
        return block.elements.filter((e): e is SlackTextObject => e.type === 'plain_text' || e.type === 'mrkdwn');
      default:
        throw new Error(`a Slack block this reader does not know: ${(block as { type: string }).type}`);
    }
  });
}

/**
 * The section fields as label → value, checking that they come in mrkdwn-label / plain-value pairs; the one
 * mrkdwn value allowed is a time made only of the renderer's own date tokens.
 */
export function slackFieldPairs(message: SlackMessage): Map<string, string> {
  const fields = slackBlocks(message).flatMap((b) =>
    b.type === 'section' ? ((b.fields ?? []) as SlackTextObject[]) : [],
  );
  expect(fields.length % 2).toBe(0);
  const pairs = new Map<string, string>();
  for (let i = 0; i < fields.length; i += 2) {
    const [label, value] = [fields[i]!, fields[i + 1]!];
    expect(label.type).toBe('mrkdwn');
    if (value.type === 'mrkdwn') expect(withoutOwnSlackDates(value.text).replace(/ to /g, '')).toBe('');
    else expect(value).toEqual({ type: 'plain_text', text: expect.any(String), emoji: false });
    pairs.set(label.text.replace(/^\*|\*$/g, ''), value.text);
  }
  return pairs;
}
