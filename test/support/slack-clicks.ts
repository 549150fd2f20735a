import { request } from 'node:http';
import { encodeSlackAction, SLACK_ACTION_IDS, SLACK_ACTIONS_BLOCK_ID, type SlackAction } from '../../functions/chat';
import { slackSignature } from '../../functions/interactivity';

/**
 * Slack's side of a button click: a `block_actions` payload for a message the relay posted, form-encoded and signed
 * as Slack signs it (`v0`), posted to the interactivity URL.
 */

export interface ClickOptions {
  readonly channel: string;
  /** The clicked message's `ts`. */
  readonly ts: string;
  readonly user?: string;
  /** The clicked message as Slack holds it; by default an alert with the three buttons in an attachment. */
  readonly message?: Record<string, unknown>;
  /** A button the relay did not render: its `action_id` and `value` as given. */
  readonly raw?: { readonly actionId: string; readonly value: string };
}

/** The three buttons of an alert, as the relay renders them. */
export function alertButtons(messageKey: string, fingerprint: string, senderDomain: string) {
  const button = (action: SlackAction, text: string) => ({
    type: 'button',
    action_id: SLACK_ACTION_IDS[action.name],
    text: { type: 'plain_text', text },
    value: encodeSlackAction(action),
  });
  return {
    type: 'actions',
    block_id: SLACK_ACTIONS_BLOCK_ID,
    elements: [
      button({ name: 'acknowledge', messageKey }, 'Acknowledge'),
      button({ name: 'muteRecipient', messageKey, fingerprint }, 'Mute recipient 24 h'),
      button({ name: 'muteSenderDomain', messageKey, senderDomain }, 'Mute sender domain 4 h'),
    ],
  };
}

/** The form body of a click on `action`. */
export function clickBody(action: SlackAction | undefined, options: ClickOptions): string {
  const actionId = options.raw?.actionId ?? SLACK_ACTION_IDS[action!.name];
  const value = options.raw?.value ?? encodeSlackAction(action!);
  const message = options.message ?? {
    type: 'message',
    ts: options.ts,
    text: 'Hard bounce',
    blocks: [{ type: 'header', text: { type: 'plain_text', text: 'Hard bounce' } }],
    attachments: [{ id: 1, color: '#D40E0D', fallback: 'x', blocks: [alertButtons('k-1', 'r-0123abcd', 'a.example')] }],
  };
  const payload = {
    type: 'block_actions',
    user: { id: options.user ?? 'U0PERSON1', username: 'someone' },
    team: { id: 'T0FAKE' },
    container: { type: 'message', message_ts: options.ts, channel_id: options.channel, is_ephemeral: false },
    channel: { id: options.channel, name: 'alerts' },
    message,
    actions: [{ type: 'button', action_id: actionId, block_id: SLACK_ACTIONS_BLOCK_ID, value, action_ts: '1.2' }],
    response_url: 'https://hooks.slack.test/actions/T0FAKE/1/x',
  };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}

export interface SignedPost {
  readonly secret: string;
  /** Seconds since the epoch. */
  readonly timestamp: number;
  /** Sent instead of the right signature. */
  readonly signature?: string;
}

/** Posts a body signed with `secret` at `timestamp`; resolves with the status and the headers it was sent with. */
export function postSigned(
  url: string,
  body: string,
  signed: SignedPost,
): Promise<{ status: number; headers: Record<string, string> }> {
  const timestamp = String(signed.timestamp);
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-slack-request-timestamp': timestamp,
    'x-slack-signature': signed.signature ?? slackSignature(signed.secret, timestamp, body),
  };
  return repost(url, body, headers).then((status) => ({ status, headers }));
}

/** Posts `body` with exactly `headers`: a replay sends a request again as it was. */
export function repost(url: string, body: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}
