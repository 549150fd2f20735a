/// <reference lib="dom" />
import type { ConfigReport, DeadLetters, Delivery, DestinationHealth, Preview, Receipt } from '../api-types';
import { h, PREVIEW_NAMES, renderPreviewBody, type Child } from '../../../chat/previews';

/** "14:03:11 EST" in the viewer's time zone, named; the full ISO time goes in a tooltip. */
export function clock(iso: string): HTMLTimeElement {
  const date = new Date(iso);
  // With the zone: the relay's own lines and alerts give times in UTC or display.timeZone, the page in the reader's.
  const text = Number.isNaN(date.getTime())
    ? iso
    : date.toLocaleTimeString([], { hour12: false, timeZoneName: 'short' });
  return h('time', { attrs: { datetime: iso, title: iso } }, text);
}

const statusClass = (status: number | undefined): string =>
  status === undefined ? 'pill info' : status < 300 ? 'pill ok' : status < 500 ? 'pill warn' : 'pill bad';

const answerText = (r: Receipt): string => (r.status !== undefined ? `${r.status} ${r.answer}` : r.answer);

export function receiptRow(r: Receipt, selected: boolean, select: (id: number) => void): HTMLLIElement {
  return h(
    'li',
    null,
    h(
      'button',
      {
        class: 'row',
        attrs: { type: 'button', 'aria-pressed': String(selected), 'data-id': String(r.id) },
        on: { click: () => select(r.id) },
      },
      h('span', { class: 'row-time' }, clock(r.receivedAt)),
      h('span', { class: 'row-type' }, r.eventType ?? (r.source === 'redrive' ? 'redrive' : '(no event)')),
      h('span', { class: 'row-domain' }, r.senderDomain ?? ''),
      h('span', { class: statusClass(r.status) }, answerText(r)),
      r.deliveries && r.deliveries.length > 0
        ? h(
            'span',
            { class: 'row-dests' },
            r.deliveries.map((d) =>
              h('span', { class: `dot ${d.state}`, attrs: { title: `${d.destination}: ${d.state}` } }, d.destination),
            ),
          )
        : null,
    ),
  );
}

/** A table with a header row; each row's cells in order. */
export function table(
  head: readonly string[],
  rows: readonly (readonly Child[])[],
  caption?: string,
): HTMLTableElement {
  return h(
    'table',
    null,
    caption ? h('caption', null, caption) : null,
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        head.map((t) => h('th', { attrs: { scope: 'col' } }, t)),
      ),
    ),
    h(
      'tbody',
      null,
      rows.map((cells) =>
        h(
          'tr',
          null,
          cells.map((c) => h('td', null, c)),
        ),
      ),
    ),
  );
}

export function receiptSummary(r: Receipt): HTMLElement[] {
  const out: HTMLElement[] = [
    h(
      'p',
      { class: 'summary' },
      clock(r.receivedAt),
      ' ',
      h('span', { class: statusClass(r.status) }, answerText(r)),
      ' ',
      r.source === 'redrive' ? 'Dead letter redriven from an earlier run.' : r.eventKey ? '' : 'Nothing was relayed.',
    ),
  ];
  if (r.facts) {
    out.push(
      h(
        'dl',
        { class: 'facts' },
        r.facts.flatMap((f) => [h('dt', null, f.label), h('dd', null, f.value)]),
      ),
    );
  }
  return out;
}

export function routingTable(r: Receipt): HTMLElement {
  return table(
    ['Destination', 'Receives it', 'Routes', 'Deciding term'],
    (r.routing ?? []).map((d) => [
      d.destination,
      h('span', { class: d.matched ? 'pill ok' : 'pill info' }, d.matched ? 'matched' : 'not matched'),
      d.routes.length > 0 ? d.routes.map((n) => `#${n}`).join(', ') : '—',
      h('code', null, d.term),
    ]),
  );
}

export function deliveryList(deliveries: readonly Delivery[]): HTMLElement {
  if (deliveries.length === 0) return h('p', { class: 'muted' }, 'No destination received this event.');
  return h(
    'div',
    { class: 'deliveries' },
    deliveries.map((d) =>
      h(
        'article',
        { class: 'delivery', attrs: { 'data-destination': d.destination } },
        h('h4', null, d.destination, ' ', h('span', { class: `pill state-${d.state}` }, d.state.replace('_', ' '))),
        h(
          'ol',
          { class: 'timeline' },
          d.timeline.map((t) =>
            h('li', { class: t.ok ? 'ok' : 'bad', attrs: { 'data-kind': t.kind } }, clock(t.at), ' ', t.text),
          ),
        ),
      ),
    ),
  );
}

export function previewCard(p: Preview, displayDetail: string): HTMLElement {
  const sent = JSON.stringify(p.alert.body, null, 2);
  return h(
    'article',
    { class: 'preview', attrs: { 'data-destination': p.destination, 'data-kind': p.alert.kind } },
    h(
      'h4',
      null,
      `${p.destination} · ${PREVIEW_NAMES[p.alert.kind]} · detail ${p.detail}`,
      p.detail === p.configuredDetail ? ' (as configured)' : '',
    ),
    p.previewed
      ? h(
          'p',
          { class: 'note' },
          `No "url" in the configuration: this is what ${PREVIEW_NAMES[p.alert.kind]} would be sent; the relay printed it on the console.`,
        )
      : null,
    p.masked
      ? h(
          'p',
          { class: 'note' },
          `Values above ${displayDetail}, the most detailed level of any destination, are hidden.`,
        )
      : null,
    h('div', { class: 'preview-body' }, renderPreviewBody(p.alert)),
    h(
      'details',
      null,
      h('summary', null, p.previewed ? 'Body it would send' : 'Body as sent'),
      h('pre', { class: 'json' }, p.alert.kind === 'console' ? p.alert.body : sent),
    ),
    p.digest
      ? h(
          'div',
          { class: 'digest' },
          h('h5', null, `Posted in digest ${p.digest.key} (${p.digest.count} events), as sent:`),
          h('div', { class: 'preview-body' }, renderPreviewBody(p.digest.body)),
        )
      : null,
  );
}

export function deadLetterPanel(
  dl: DeadLetters,
  redrive: (destination: string, eventKey?: string) => void,
): HTMLElement[] {
  if (!dl.readable)
    return [h('p', { class: 'muted' }, 'This relay keeps its dead letters where the inspector cannot read them.')];
  if (dl.letters.length === 0) return [h('p', { class: 'muted' }, 'No dead letters.')];
  const destinations = [...new Set(dl.letters.map((l) => l.destination))];
  return [
    h(
      'div',
      { class: 'actions' },
      destinations.map((d) =>
        h(
          'button',
          { attrs: { type: 'button' }, on: { click: () => redrive(d) } },
          `Redrive all of ${d} (${dl.letters.filter((l) => l.destination === d).length})`,
        ),
      ),
    ),
    table(
      ['Failed', 'Destination', 'Event', 'Key', 'Reason', ''],
      dl.letters.map((l) => [
        clock(l.failedAt),
        l.destination,
        l.eventType,
        h('code', null, l.eventKey),
        `${l.reason}${l.status !== undefined ? ` (HTTP ${l.status})` : ''}`,
        h(
          'button',
          {
            attrs: { type: 'button', 'aria-label': `Redrive ${l.eventType} ${l.eventKey} to ${l.destination}` },
            on: { click: () => redrive(l.destination, l.eventKey) },
          },
          'Redrive',
        ),
      ]),
    ),
  ];
}

export function healthTable(health: readonly DestinationHealth[]): HTMLElement {
  return table(
    [
      'Destination',
      'Platform',
      'Detail',
      'Host',
      'State',
      'Posted',
      'Failed attempts',
      'Dead letters',
      'In flight',
      'Last answer',
    ],
    health.map((d) => [
      d.destination,
      d.previewed ? `${d.platform} (previewed: no url)` : d.platform,
      d.detail,
      d.host ?? '—',
      h('span', { class: `pill health-${d.state}` }, d.state),
      d.posted,
      d.failedAttempts,
      d.deadLettered,
      d.inFlight,
      d.lastAnswer ? h('span', null, d.lastAnswer, d.lastAt ? [' at ', clock(d.lastAt)] : null) : '—',
    ]),
    'Destination states from the deliveries seen since the relay started',
  );
}

export function configPanel(c: ConfigReport): HTMLElement[] {
  return [
    h(
      'p',
      null,
      'Loaded from: ',
      h('code', null, c.source),
      c.verifySignatures ? ' · webhook signatures required' : '',
    ),
    c.problems.length === 0
      ? h('p', { class: 'ok-text' }, 'No problems found.')
      : h(
          'ul',
          { class: 'problems', attrs: { 'aria-label': 'Configuration problems' } },
          c.problems.map((p) => h('li', null, p)),
        ),
    table(
      ['Destination', 'Platform', 'Detail', 'Host', 'Digest window', 'Rate limit'],
      c.destinations.map((d) => [
        d.name,
        d.platform,
        d.detail,
        d.host ?? '—',
        d.digestWindowSeconds > 0 ? `${d.digestWindowSeconds} s` : 'none',
        d.messagesPerSecond !== undefined ? `${d.messagesPerSecond}/s` : 'platform default',
      ]),
    ),
    table(
      ['Route', 'Events', 'Sender domains', 'To'],
      c.routes.map((r, i) => [`#${i + 1}`, r.events.join(', '), r.senderDomains?.join(', ') ?? 'any', r.to.join(', ')]),
    ),
  ];
}
