/**
 * The parts of a Slack `block_actions` payload the relay uses, read defensively: the request is signed by Slack,
 * but a payload of another shape (a modal, a shortcut) or a field missing is answered with nothing done.
 */

/** Slack's payloads are a few kilobytes: the clicked message's blocks and a little more. */
export const MAX_INTERACTIVITY_BODY_BYTES = 64 * 1024;

export interface SlackClick {
  /** Who clicked: a Slack user id. */
  readonly userId: string;
  readonly teamId?: string;
  readonly channelId: string;
  /** The clicked message's `ts`: what `chat.update` rewrites and a thread reply hangs under. */
  readonly messageTs: string;
  /** The thread the clicked message is in, when it is a reply. */
  readonly threadTs?: string;
  /** The clicked message as Slack sent it (blocks, attachments, text), to rebuild it from. */
  readonly message: unknown;
  readonly actionId: string;
  readonly value: string;
}

type Json = Record<string, unknown>;
const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
const id = (value: unknown, pattern: RegExp): string | undefined =>
  typeof value === 'string' && pattern.test(value) ? value : undefined;

const USER = /^[UW][A-Z0-9]{2,20}$/;
const TEAM = /^[TE][A-Z0-9]{2,20}$/;
const CHANNEL = /^[CGD][A-Z0-9]{2,20}$/;
const TS = /^[0-9]{1,12}\.[0-9]{1,8}$/;

/** The click of a form-encoded `payload=<json>` body; undefined for anything else. */
export function parseSlackClick(rawBody: Buffer): SlackClick | undefined {
  const payloadText = new URLSearchParams(rawBody.toString('utf8')).get('payload');
  if (payloadText === null) return undefined;
  let payload: unknown;
  try {
    payload = JSON.parse(payloadText);
  } catch {
    return undefined;
  }
  if (!isObject(payload) || payload.type !== 'block_actions') return undefined;
  const user = isObject(payload.user) ? id(payload.user.id, USER) : undefined;
  const team = isObject(payload.team) ? id(payload.team.id, TEAM) : undefined;
  const container = isObject(payload.container) ? payload.container : {};
  const channel =
    id(container.channel_id, CHANNEL) ?? (isObject(payload.channel) ? id(payload.channel.id, CHANNEL) : undefined);
  const message = isObject(payload.message) ? payload.message : undefined;
  const messageTs = id(container.message_ts, TS) ?? id(message?.ts, TS);
  const threadTs = id(container.thread_ts, TS) ?? id(message?.thread_ts, TS);
  const actions = Array.isArray(payload.actions) ? payload.actions : [];
  const action = actions.length === 1 && isObject(actions[0]) ? actions[0] : undefined;
  const actionId = typeof action?.action_id === 'string' ? action.action_id : undefined;
  const value = typeof action?.value === 'string' ? action.value : undefined;
  if (!user || !channel || !messageTs || !message || actionId === undefined || value === undefined) return undefined;
  return {
    userId: user,
    ...(team ? { teamId: team } : {}),
    channelId: channel,
    messageTs,
    ...(threadTs ? { threadTs } : {}),
    message,
    actionId,
    value,
  };
}
