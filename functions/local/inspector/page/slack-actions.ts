/// <reference lib="dom" />
import type { SlackActionsReport } from '../api-types';
import { api } from './api';
import { fill, h } from '../../../chat/previews';
import { clock } from './views';

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
        : h(
            'table',
            null,
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                ['When', 'Who', 'Action', 'About', 'Destination'].map((t) => h('th', null, t)),
              ),
            ),
            h(
              'tbody',
              null,
              rows.map((a) =>
                h(
                  'tr',
                  { attrs: { 'data-action': a.action } },
                  h('td', null, clock(a.at)),
                  h('td', null, a.by),
                  h('td', null, `${ACTION_NAMES[a.action] ?? a.action}${a.changed ? '' : ' (changed nothing)'}`),
                  h('td', null, subject(a)),
                  h('td', null, a.destination),
                ),
              ),
            ),
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
