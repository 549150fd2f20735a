/// <reference lib="dom" />
/// <reference lib="dom.iterable" />
import './inspector.css';
import type { DeadLetters, DestinationHealth, InspectorState, Receipt } from '../api-types';
import { api, openFeed } from './api';
import { fill, h } from '../../../chat/previews';
import { silencesPanel } from './silences';
import { slackActionsPanel } from './slack-actions';
import {
  configPanel,
  deadLetterPanel,
  deliveryList,
  healthTable,
  previewCard,
  receiptRow,
  receiptSummary,
  routingTable,
} from './views';

const LEVELS = ['configured', 'minimal', 'recipient', 'full'] as const;
type PreviewLevel = (typeof LEVELS)[number];

const state = {
  displayDetail: 'minimal',
  receipts: new Map<number, Receipt>(),
  selected: undefined as number | undefined,
  level: 'configured' as PreviewLevel,
  /** Bumped on each preview request, so a late answer for an old selection is dropped. */
  previewTurn: 0,
  previewFor: '',
};

function section(id: string, title: string, ...rest: HTMLElement[]): HTMLElement {
  return h(
    'section',
    { class: 'panel', attrs: { id, 'aria-labelledby': `${id}-title` } },
    h('h2', { attrs: { id: `${id}-title` } }, title),
    ...rest,
  );
}

const live = h('span', { class: 'pill info', attrs: { role: 'status', id: 'live' } }, 'connecting…');
const note = h('p', { class: 'note' });
const sampleButtons = h('div', { class: 'actions', attrs: { role: 'group', 'aria-label': 'Send a sample webhook' } });
const actionStatus = h('p', { class: 'muted', attrs: { role: 'status' } });
const list = h('ol', { class: 'receipts', attrs: { id: 'receipts', 'aria-label': 'Webhooks, newest first' } });
const detail = h(
  'div',
  { attrs: { id: 'detail-body' } },
  h('p', { class: 'muted' }, 'Send a webhook, or a sample, to see it here.'),
);
const previews = h('div', { class: 'previews', attrs: { id: 'previews', 'aria-live': 'polite' } });
const deadLetters = h('div', { attrs: { id: 'dead-letters-body' } });
const health = h('div', { attrs: { id: 'health-body' } });
const config = h('div', { attrs: { id: 'config-body' } });

const levelSwitch = h(
  'fieldset',
  { class: 'levels' },
  h('legend', null, 'Preview detail'),
  LEVELS.map((level) =>
    h(
      'label',
      null,
      h('input', {
        attrs: { type: 'radio', name: 'level', value: level, ...(level === state.level ? { checked: '' } : {}) },
        on: {
          change: () => {
            state.level = level;
            void showPreviews(true);
          },
        },
      }),
      level === 'configured' ? ' as each destination gets it' : ` ${level}`,
    ),
  ),
);

function renderList(): void {
  const focused = (document.activeElement as HTMLElement | null)?.dataset?.id;
  const rows = [...state.receipts.values()].sort((a, b) => b.id - a.id);
  fill(
    list,
    rows.map((r) => receiptRow(r, r.id === state.selected, select)),
  );
  if (focused) list.querySelector<HTMLElement>(`button[data-id="${focused}"]`)?.focus();
}

function renderDetail(): void {
  const r = state.selected === undefined ? undefined : state.receipts.get(state.selected);
  if (!r) return;
  fill(
    detail,
    receiptSummary(r),
    r.routing ? [h('h3', null, 'Routing'), routingTable(r)] : null,
    r.deliveries ? [h('h3', null, 'Delivery'), deliveryList(r.deliveries)] : null,
    r.deliveries && r.deliveries.length > 0 ? [h('h3', null, 'Chat previews'), levelSwitch, previews] : null,
  );
}

/** Fetches the previews of the selected event's destinations; again only when asked or when a digest appears. */
async function showPreviews(force = false): Promise<void> {
  const r = state.selected === undefined ? undefined : state.receipts.get(state.selected);
  if (!r?.deliveries || r.deliveries.length === 0) return;
  const signature = `${r.id} ${state.level} ${r.deliveries.map((d) => `${d.destination}:${d.digestKey ?? ''}`).join(',')}`;
  if (!force && signature === state.previewFor) return;
  state.previewFor = signature;
  const turn = ++state.previewTurn;
  const level = state.level === 'configured' ? undefined : state.level;
  const results = await Promise.allSettled(r.deliveries.map((d) => api.preview(r.id, d.destination, level)));
  if (turn !== state.previewTurn) return;
  fill(
    previews,
    results.map((result) =>
      result.status === 'fulfilled'
        ? previewCard(result.value, state.displayDetail)
        : h('p', { class: 'error' }, `Preview unavailable: ${String(result.reason)}`),
    ),
  );
}

function select(id: number): void {
  state.selected = id;
  state.previewFor = '';
  renderList();
  renderDetail();
  void showPreviews();
}

function upsert(r: Receipt): void {
  state.receipts.set(r.id, r);
  // Keep as many rows as the relay does.
  if (state.receipts.size > 200) state.receipts.delete(Math.min(...state.receipts.keys()));
  renderList();
  if (state.selected === undefined) select(r.id);
  else if (r.id === state.selected) {
    renderDetail();
    void showPreviews();
  }
}

async function redrive(destination: string, eventKey?: string): Promise<void> {
  let moved: number;
  try {
    ({ moved } = await api.redrive(destination, eventKey));
  } catch (error) {
    actionStatus.textContent = `Redrive of ${destination} failed: ${String(error)}`;
    return;
  }
  actionStatus.textContent = `Redrove ${moved} dead letter${moved === 1 ? '' : 's'} of ${destination}.`;
}

const showDeadLetters = (dl: DeadLetters): void =>
  fill(
    deadLetters,
    deadLetterPanel(dl, (d, k) => void redrive(d, k)),
  );
const showHealth = (hs: readonly DestinationHealth[]): void => fill(health, healthTable(hs));

function load(s: InspectorState): void {
  state.displayDetail = s.displayDetail;
  fill(
    note,
    'Event details are shown at ',
    h('b', null, s.displayDetail),
    ', the most detailed level of any destination.',
  );
  fill(
    sampleButtons,
    h('span', { class: 'muted' }, 'Send a sample:'),
    s.samples.map((name) =>
      h(
        'button',
        {
          attrs: { type: 'button', 'data-sample': name },
          on: {
            click: () => {
              actionStatus.textContent = `Sending ${name}…`;
              api.sendSample(name).then(
                (reply) => (actionStatus.textContent = `Sent ${name}: the relay answered ${answerOf(reply)}`),
                (error: unknown) => (actionStatus.textContent = `${name}: ${String(error)}`),
              );
            },
          },
        },
        name.replace(/_/g, ' '),
      ),
    ),
  );
  for (const r of [...s.receipts].reverse()) state.receipts.set(r.id, r);
  renderList();
  const newest = s.receipts[0];
  if (state.selected === undefined && newest) select(newest.id);
  else if (state.selected !== undefined) select(state.selected);
  showHealth(s.health);
  showDeadLetters(s.deadLetters);
  fill(config, configPanel(s.config));
}

/** "202 accepted", or the status and the relay's message: the reply's words, not its JSON. */
function answerOf(reply: { readonly status: number; readonly body: string }): string {
  try {
    const body = JSON.parse(reply.body) as { status?: unknown; error?: unknown; message?: unknown };
    const word = typeof body.status === 'string' ? body.status : typeof body.error === 'string' ? body.error : '';
    return [`${reply.status} ${word}`.trim(), typeof body.message === 'string' ? body.message : '']
      .filter(Boolean)
      .join(': ');
  } catch {
    return `${reply.status} ${reply.body}`;
  }
}

function start(): void {
  const app = document.getElementById('app')!;
  fill(
    app,
    h('header', { class: 'top' }, h('h1', null, 'Relay inspector'), live, note),
    h(
      'main',
      { class: 'layout' },
      section('webhooks', 'Webhooks', sampleButtons, actionStatus, list),
      section('detail', 'Selected webhook', detail),
    ),
    h(
      'div',
      { class: 'lower' },
      section('dead-letters', 'Dead letters', deadLetters),
      section('health', 'Relay health', health),
      section('silences', 'Silences', silencesPanel()),
      section('slack-actions', 'Slack actions', slackActionsPanel()),
      section('config', 'Configuration', config),
    ),
  );
  // Arrow keys move between webhook rows.
  list.addEventListener('keydown', (event) => {
    if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
    const buttons = [...list.querySelectorAll<HTMLButtonElement>('button.row')];
    const at = buttons.indexOf(document.activeElement as HTMLButtonElement);
    const next = buttons[at + (event.key === 'ArrowDown' ? 1 : -1)];
    if (next) {
      event.preventDefault();
      next.focus();
    }
  });
  let first = true;
  openFeed({
    status: (up) => {
      live.textContent = up ? 'live' : 'reconnecting…';
      live.className = up ? 'pill ok' : 'pill warn';
      // After a drop, what was missed is read again in full.
      if (up && !first) void api.state().then(load);
      first = false;
    },
    receipt: upsert,
    health: showHealth,
    'dead-letters': showDeadLetters,
  });
  api
    .state()
    .then(load, (error: unknown) => fill(detail, h('p', { class: 'error' }, `Could not load: ${String(error)}`)));
}

start();
