import { toAlertView, toDigestView } from '../../../../functions/alerts';
import { InspectorStore, STORE_LIMITS, type StoreChange } from '../../../../functions/local/inspector/store';
import type { RelayEvent } from '../../../../functions/paubox';
import { fixtureEvent } from '../../../support/events';

const KEY = 'k';
const view = (event: RelayEvent) => toAlertView(event, { destination: 'ops', detail: 'minimal', fingerprintKey: KEY });

function newStore() {
  let now = Date.parse('2026-12-02T10:00:00.000Z');
  const store = new InspectorStore({
    destinations: [
      { name: 'ops', kind: 'slack', platform: 'slack', detail: 'minimal', host: 'hooks.slack.com' },
      { name: 'teams', kind: 'teams', platform: 'teams', detail: 'minimal' },
    ],
    route: () => [
      { destination: 'ops', matched: true, routes: [1], term: 'event_type permanent_failure in [permanent_failure]' },
    ],
    facts: (e) => [{ label: 'Event', value: e.type }],
    now: () => (now += 10),
  });
  const changes: StoreChange[] = [];
  store.subscribe((c) => changes.push(c));
  return { store, changes };
}

describe('InspectorStore', () => {
  it('follows one event from its webhook to its post, attempt by attempt', () => {
    const { store, changes } = newStore();
    const event = fixtureEvent('permanent_failure');
    store.queued('ops', event, 'routed');
    store.webhook({ receivedAt: new Date('2026-12-02T10:00:00.000Z'), status: 202, answer: 'accepted', event });
    store.attempt('ops', {
      postKey: event.key,
      view: view(event),
      startedAt: 0,
      durationMs: 5,
      failure: { reason: 'rate_limited', retryable: true, status: 429, retryAfterSeconds: 2 },
    });
    store.attempt('ops', { postKey: event.key, view: view(event), startedAt: 0, durationMs: 7 });
    store.settled('ops', { id: 'local-1', eventKey: event.key, result: 'posted', attempts: 2, rateLimited: 1 });
    store.flush();

    const [receipt] = store.receipts();
    expect(receipt).toMatchObject({
      id: 1,
      status: 202,
      answer: 'accepted',
      eventType: 'permanent_failure',
      senderDomain: 'mail.clinic.example.com',
    });
    expect(receipt!.facts).toEqual([{ label: 'Event', value: 'permanent_failure' }]);
    expect(receipt!.deliveries).toEqual([
      {
        destination: 'ops',
        state: 'posted',
        timeline: [
          expect.objectContaining({ kind: 'queued', ok: true }),
          expect.objectContaining({
            kind: 'attempt',
            ok: false,
            text: 'attempt 1: HTTP 429 rate_limited, asked to wait 2 s after 5 ms',
          }),
          expect.objectContaining({ kind: 'attempt', ok: true, text: 'attempt 2: accepted in 7 ms' }),
          expect.objectContaining({ kind: 'posted', ok: true, text: 'posted after 2 attempts' }),
        ],
      },
    ]);
    expect(store.health()[0]).toMatchObject({
      destination: 'ops',
      host: 'hooks.slack.com',
      state: 'ok',
      posted: 1,
      failedAttempts: 1,
      inFlight: 0,
    });
    expect(store.health()[1]).toMatchObject({ destination: 'teams', state: 'idle', posted: 0 });
    // One coalesced notice for the whole burst.
    expect(changes).toHaveLength(1);
    expect(changes[0]!.health).toBe(true);
    expect(changes[0]!.receipts.map((r) => r.id)).toEqual([1]);
  });

  it('records a rejected webhook with its answer and no event', () => {
    const { store } = newStore();
    store.webhook({ receivedAt: new Date(), status: 401, answer: 'unauthorized' });
    expect(store.receipts()).toEqual([
      expect.objectContaining({ status: 401, answer: 'unauthorized', source: 'webhook' }),
    ]);
    expect(store.receipts()[0]!.deliveries).toBeUndefined();
  });

  it('ties events to the digest that posted them, with the digest attempts and its size', () => {
    const { store } = newStore();
    const a = fixtureEvent('permanent_failure');
    const b = { ...fixtureEvent('temporary_failure') };
    for (const e of [a, b]) {
      store.queued('ops', e, 'routed');
      store.webhook({ receivedAt: new Date(), status: 202, answer: 'accepted', event: e });
    }
    const digest = toDigestView([a, b], { destination: 'ops', detail: 'minimal', fingerprintKey: KEY });
    store.attempt('ops', { postKey: digest.key, view: digest, startedAt: 0, durationMs: 3 });
    for (const e of [a, b])
      store.settled('ops', {
        id: e.key,
        eventKey: e.key,
        result: 'posted',
        attempts: 1,
        rateLimited: 0,
        digestKey: digest.key,
      });
    const receipt = store.receipts()[0]!;
    expect(receipt.deliveries![0]).toMatchObject({ state: 'posted', digestKey: digest.key });
    expect(receipt.deliveries![0]!.timeline.map((t) => t.kind)).toEqual(['queued', 'attempt', 'digest']);
    expect(receipt.deliveries![0]!.timeline[2]!.text).toContain(`folded into digest ${digest.key} of 2 events`);
    expect(store.source(receipt.id)!.digests.get('ops')).toBe(digest);
  });

  it('shows a hand-back, then a dead letter, and gives a redriven letter from an earlier run a row', () => {
    const { store } = newStore();
    const event = fixtureEvent('permanent_failure');
    store.queued('ops', event, 'redriven');
    store.settled(
      'ops',
      { id: '1', eventKey: event.key, result: 'retry', reason: 'http_503', attempts: 5, rateLimited: 0 },
      1000,
    );
    store.settled('ops', {
      id: '1',
      eventKey: event.key,
      result: 'dead_lettered',
      reason: 'http_503',
      attempts: 5,
      rateLimited: 0,
    });
    const [receipt] = store.receipts();
    expect(receipt).toMatchObject({ source: 'redrive', answer: 'redriven', eventKey: event.key });
    expect(receipt!.deliveries![0]!.timeline.map((t) => [t.kind, t.text])).toEqual([
      ['redriven', 'redriven from the dead letters: queued again'],
      ['handed_back', 'not posted yet (http_503): handed back to the queue, next try in 1 s'],
      ['dead_lettered', 'dead-lettered: http_503 after 5 attempts'],
    ]);
    expect(store.health()[0]).toMatchObject({ state: 'failing', deadLettered: 1, inFlight: 0 });
  });

  it('keeps a bounded number of rows, newest first', () => {
    const { store } = newStore();
    for (let i = 0; i < STORE_LIMITS.receipts + 5; i++)
      store.webhook({ receivedAt: new Date(), status: 400, answer: 'malformed_json' });
    const receipts = store.receipts();
    expect(receipts).toHaveLength(STORE_LIMITS.receipts);
    expect(receipts[0]!.id).toBe(STORE_LIMITS.receipts + 5);
  });
});
