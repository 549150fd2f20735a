/// <reference lib="dom" />
import type { SilenceRow } from '../api-types';
import { api } from './api';
import { fill, h } from '../../../chat/previews';
import { clock } from './views';

/**
 * The silences panel: every silence with what it matches, why, until when and how many alerts it held back; a form
 * to add one (the same fields and checks as `silence add`) and a button to end an active one.
 */
export function silencesPanel(): HTMLElement {
  const body = h('div', { attrs: { id: 'silences-body' } });
  const status = h('p', { class: 'muted', attrs: { role: 'status' } });
  const field = (name: string, label: string, placeholder: string) =>
    h('label', null, `${label} `, h('input', { attrs: { name, placeholder, 'aria-label': label } }));
  const event = h(
    'select',
    { attrs: { name: 'event', 'aria-label': 'Event' } },
    h('option', { attrs: { value: '' } }, 'any event'),
    ['permanent_failure', 'temporary_failure', 'delivered', 'opened'].map((t) =>
      h('option', { attrs: { value: t } }, t),
    ),
  );
  const refresh = async (): Promise<void> => {
    const rows = await api.silences();
    fill(body, rows.length === 0 ? h('p', { class: 'muted' }, 'No silences.') : table(rows));
  };
  const table = (rows: readonly SilenceRow[]) =>
    h(
      'table',
      null,
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          ['Id', 'Matches', 'Reason', 'Ends', 'Hid', ''].map((t) => h('th', null, t)),
        ),
      ),
      h(
        'tbody',
        null,
        rows.map((row) =>
          h(
            'tr',
            null,
            h('td', null, row.id),
            h('td', null, row.matches),
            h('td', null, row.reason),
            h('td', null, row.active ? 'until ' : 'ended ', clock(row.endsAt)),
            h('td', null, row.hidden),
            h(
              'td',
              null,
              row.active &&
                h(
                  'button',
                  {
                    attrs: { type: 'button', 'aria-label': `End silence ${row.id}` },
                    on: {
                      click: () =>
                        void api.endSilence(row.id).then(
                          () => {
                            status.textContent = `${row.id} ended; the relay posts what it hid.`;
                            return refresh();
                          },
                          (error: unknown) => (status.textContent = String(error)),
                        ),
                    },
                  },
                  'End',
                ),
            ),
          ),
        ),
      ),
    );
  const form = h(
    'form',
    {
      class: 'actions',
      attrs: { 'aria-label': 'Add a silence' },
      on: {
        submit: (e) => {
          e.preventDefault();
          const data = Object.fromEntries(new FormData(e.target as HTMLFormElement)) as Record<string, string>;
          void api.addSilence(data).then(
            (row) => {
              status.textContent = `${row.id} silences ${row.matches}.`;
              (e.target as HTMLFormElement).reset();
              return refresh();
            },
            (error: unknown) => (status.textContent = String(error)),
          );
        },
      },
    },
    event,
    field('senderDomain', 'Sender domain', 'mail.example.com'),
    field('recipientDomain', 'Recipient domain', 'example.org'),
    field('fingerprint', 'Fingerprint', 'r-…'),
    field('for', 'For', '4h'),
    field('reason', 'Reason', 'why, for the channel'),
    h('button', { attrs: { type: 'submit' } }, 'Add silence'),
  );
  void refresh().catch((error: unknown) => (status.textContent = String(error)));
  return h('div', null, body, form, status);
}
