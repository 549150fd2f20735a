/// <reference lib="dom" />
import type { SlackActionsReport } from '../api-types';
import { api } from './api';
import { fill, h } from '../../../chat/previews';
import { clock, table } from './views';

/** How the page names each button. */
const ACTION_NAMES: Readonly<Record<string, string>> = {
  acknowledge: 'Acknowledge',
  muteRecipient: 'Mute recipient 24 h',
  muteSenderDomain: 'Mute sender domain 4 h',
  undoSilence: 'Undo',
};

type Action = SlackActionsReport['actions'][number];

/** What the action was about: a domain, a fingerprint, a silence, a message key. */
function subject(action: Action): string {
  return [
    action.sender_domain,
    action.fingerprint,
    action.silence_id && `silence ${action.silence_id}`,
    action.until && `until ${new Date(action.until).toLocaleString()}`,
    action.message_key && `message ${action.message_key}`,
  ]
    .filter(Boolean)
    .join(', ');
}

/**
 * The Slack actions panel: what people did with the buttons of app-mode alerts (who by Slack user id, what, when,
 * where), newest first, as kept in the audit trail, and the interactivity route's answers counted since start,
 * refused requests (401) among them.
 */
export function slackActionsPanel(): HTMLElement {
  const counts = h('p', { class: 'muted', attrs: { id: 'slack-action-counts' } });
  const body = h('div', { attrs: { id: 'slack-actions-body' } });
  const refresh = async (): Promise<void> => {
    const report = await api.slackActions();
    const c = report.counts;
    counts.textContent =
      `Requests since start: ${c.acted} acted on, ${c.refused} refused (401), ` +
      `${c.ignored} ignored (not the relay's button), ${c.failed} failed.`;
    const rows = [...report.actions].reverse();
    fill(
      body,
      rows.length === 0
        ? h('p', { class: 'muted' }, 'No button clicked yet.')
        : table(
            ['When', 'Who', 'Action', 'About', 'Destination'],
            rows.map((a) => [
              clock(a.at),
              a.by,
              `${ACTION_NAMES[a.action] ?? a.action}${a.changed ? '' : ' (changed nothing)'}`,
              subject(a),
              a.destination,
            ]),
          ),
    );
  };
  const button = h(
    'button',
    {
      attrs: { type: 'button' },
      on: { click: () => void refresh().catch((e: unknown) => (counts.textContent = String(e))) },
    },
    'Refresh',
  );
  void refresh().catch((error: unknown) => (counts.textContent = String(error)));
  return h('div', null, counts, body, button);
}
