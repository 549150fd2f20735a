import { encodeSlackAction, SLACK_ACTION_IDS, SLACK_ACTIONS_BLOCK_ID } from './app-actions';
import { escapeSlack } from './escape';
import { slackDate } from './render';

/**
 * What the interactivity route writes back to Slack after a click: the clicked message rebuilt from what Slack sent
 * (its blocks and attachments, with the clicked button gone and a line saying who did what), and the thread reply
 * of a mute with its Undo button. Only the relay's own words and values it checked (a Slack user id, a domain, a
 * fingerprint, a silence id) are written; the rest of the message goes back as Slack sent it.
 */

/** A Slack user id as Slack sends it; anything else is not put in a mention. */
export const SLACK_USER_ID = /^[UW][A-Z0-9]{2,20}$/;

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const blocksOf = (value: unknown): Json[] => (Array.isArray(value) ? value.filter(isObject) : []);

/** The arguments of `chat.update` that rewrite a message (`channel` and `ts` are the caller's). */
export interface SlackMessageUpdate {
  readonly text: string;
  readonly blocks: Json[];
  readonly attachments?: Json[];
}

function contextLine(text: string): Json {
  return { type: 'context', elements: [{ type: 'mrkdwn', text }] };
}

/** The blocks without the button `actionId` (an actions block left empty goes too); whether it was there. */
function withoutButton(blocks: Json[], actionId: string): { blocks: Json[]; found: boolean } {
  let found = false;
  const kept = blocks.flatMap((block) => {
    if (block.type !== 'actions' || !Array.isArray(block.elements)) return [block];
    const elements = block.elements.filter((e) => !(isObject(e) && e.action_id === actionId));
    if (elements.length === block.elements.length) return [block];
    found = true;
    return elements.length === 0 ? [] : [{ ...block, elements }];
  });
  return { blocks: kept, found };
}

/**
 * `message` (the payload's) with the button `actionId` taken away and `line` added where it was: in the attachment
 * that held it, else at the end of the top-level blocks.
 */
export function rewriteClicked(message: unknown, actionId: string, line: string): SlackMessageUpdate {
  const source = isObject(message) ? message : {};
  const text = typeof source.text === 'string' ? source.text : '';
  const top = withoutButton(blocksOf(source.blocks), actionId);
  let placed = false;
  const attachments = blocksOf(source.attachments).map((attachment): Json => {
    // Slack adds `id` and `fallback` to attachments it sends back; an update takes neither.
    const { id: _id, fallback: _fallback, ...rest } = attachment;
    const inner = withoutButton(blocksOf(attachment.blocks), actionId);
    if (!inner.found || placed) return { ...rest, blocks: inner.blocks };
    placed = true;
    return { ...rest, blocks: [...inner.blocks, contextLine(line)] };
  });
  const blocks = placed ? top.blocks : [...top.blocks, contextLine(line)];
  return { text, blocks, ...(attachments.length > 0 ? { attachments } : {}) };
}

const mention = (userId: string): string => (SLACK_USER_ID.test(userId) ? `<@${userId}>` : 'someone');

/** The alert after *Acknowledge*: no Acknowledge button, and "Acknowledged by <@U…> at <date>". */
export function acknowledgedMessage(message: unknown, userId: string, atMs: number, timeZone = 'UTC') {
  return rewriteClicked(
    message,
    SLACK_ACTION_IDS.acknowledge,
    `Acknowledged by ${mention(userId)} at ${slackDate(atMs, timeZone)}`,
  );
}

/** The thread reply after *Undo*: no Undo button, and who ended the silence when. */
export function undoneMessage(message: unknown, userId: string, atMs: number, timeZone = 'UTC') {
  return rewriteClicked(
    message,
    SLACK_ACTION_IDS.undoSilence,
    `Ended by ${mention(userId)} at ${slackDate(atMs, timeZone)}`,
  );
}

export interface MuteReply {
  /** What was muted: a recipient by fingerprint, or a sender domain. */
  readonly muted: { readonly fingerprint: string } | { readonly senderDomain: string };
  readonly userId: string;
  readonly silenceId: string;
  readonly untilMs: number;
  readonly timeZone?: string;
}

/** The thread reply of a mute: what is muted, by whom, until when, and an Undo button that ends the silence. */
export function muteReply(reply: MuteReply): { text: string; blocks: Json[] } {
  const what =
    'fingerprint' in reply.muted
      ? `recipient ${escapeSlack(reply.muted.fingerprint)}`
      : `sender domain ${escapeSlack(reply.muted.senderDomain)}`;
  const line =
    `Muted ${what} until ${slackDate(reply.untilMs, reply.timeZone ?? 'UTC')}, by ${mention(reply.userId)} ` +
    `(silence ${escapeSlack(reply.silenceId)}). Alerts it hides are still archived and counted.`;
  return {
    text: `Muted ${what}`,
    blocks: [
      { type: 'section', text: { type: 'mrkdwn', text: line } },
      {
        type: 'actions',
        block_id: SLACK_ACTIONS_BLOCK_ID,
        elements: [
          {
            type: 'button',
            action_id: SLACK_ACTION_IDS.undoSilence,
            text: { type: 'plain_text', text: 'Undo', emoji: false },
            value: encodeSlackAction({ name: 'undoSilence', silenceId: reply.silenceId }),
          },
        ],
      },
    ],
  };
}
