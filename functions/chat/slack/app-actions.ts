import { DOMAIN_NAME as DOMAIN, FINGERPRINT, SILENCE_ID } from '../../alerts';

/**
 * The buttons of an alert in Slack app mode, as the relay renders them and as Slack sends them back to its
 * interactivity route. A button's value holds what the action needs and nothing a stranger may not read: a message
 * key (a tracking id or Message-ID), a recipient's fingerprint, a sender domain, a silence id. Never an address.
 */

export const SLACK_ACTION_IDS = {
  acknowledge: 'relay_ack',
  muteRecipient: 'relay_mute_recipient',
  muteSenderDomain: 'relay_mute_domain',
  undoSilence: 'relay_undo_silence',
} as const;

export type SlackActionName = keyof typeof SLACK_ACTION_IDS;

/** The `block_id` of the actions block the relay adds to an alert. */
export const SLACK_ACTIONS_BLOCK_ID = 'relay_actions';

/** How long each mute button silences. */
export const MUTE_RECIPIENT_MS = 24 * 3_600_000;
export const MUTE_SENDER_DOMAIN_MS = 4 * 3_600_000;

export type SlackAction =
  /** An alert (`messageKey`) or a bounce-rate alert (`senderDomain` alone) acknowledged. */
  | { readonly name: 'acknowledge'; readonly messageKey?: string; readonly senderDomain?: string }
  | { readonly name: 'muteRecipient'; readonly messageKey?: string; readonly fingerprint: string }
  | { readonly name: 'muteSenderDomain'; readonly messageKey?: string; readonly senderDomain: string }
  | { readonly name: 'undoSilence'; readonly silenceId: string };

/** Slack keeps a button's value to 2,000 characters. */
export const MAX_ACTION_VALUE_LENGTH = 2000;

/** The value of the button for `action`: compact JSON without the action's name (the `action_id` says it). */
export function encodeSlackAction(action: SlackAction): string {
  const value =
    action.name === 'undoSilence'
      ? { s: action.silenceId }
      : {
          ...(action.messageKey !== undefined ? { m: action.messageKey.slice(0, 900) } : {}),
          ...('fingerprint' in action ? { f: action.fingerprint } : {}),
          ...('senderDomain' in action && action.senderDomain !== undefined ? { d: action.senderDomain } : {}),
        };
  return JSON.stringify(value);
}

const NAMES_BY_ID: ReadonlyMap<string, SlackActionName> = new Map(
  Object.entries(SLACK_ACTION_IDS).map(([name, id]) => [id, name as SlackActionName]),
);

const text = (value: unknown, pattern?: RegExp): string | undefined =>
  typeof value === 'string' && value.length > 0 && value.length <= 1000 && (!pattern || pattern.test(value))
    ? value
    : undefined;

/**
 * The action a button click asks for, from its `action_id` and `value`; undefined for anything the relay did not
 * render (another app's button, a value edited on the way), which the caller refuses.
 */
export function decodeSlackAction(actionId: string, value: string): SlackAction | undefined {
  const name = NAMES_BY_ID.get(actionId);
  if (name === undefined || value.length > MAX_ACTION_VALUE_LENGTH) return undefined;
  let fields: Record<string, unknown>;
  try {
    const parsed: unknown = JSON.parse(value);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
    fields = parsed as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const messageKey = text(fields.m);
  const keyed = messageKey !== undefined ? { messageKey } : {};
  switch (name) {
    case 'acknowledge': {
      const senderDomain = text(fields.d, DOMAIN);
      if (messageKey === undefined && senderDomain === undefined) return undefined;
      return { name, ...keyed, ...(senderDomain !== undefined ? { senderDomain } : {}) };
    }
    case 'muteRecipient': {
      const fingerprint = text(fields.f, FINGERPRINT);
      return fingerprint === undefined ? undefined : { name, ...keyed, fingerprint };
    }
    case 'muteSenderDomain': {
      const senderDomain = text(fields.d, DOMAIN);
      return senderDomain === undefined ? undefined : { name, ...keyed, senderDomain };
    }
    case 'undoSilence': {
      const silenceId = text(fields.s, SILENCE_ID);
      return silenceId === undefined ? undefined : { name, silenceId };
    }
  }
}
