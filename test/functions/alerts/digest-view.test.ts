import { recipientFingerprint } from '../../../functions/alerts/alert-view';
import { categoryOf, digestKey, toDigestView, type DigestView } from '../../../functions/alerts/digest-view';
import { DETAIL_LEVELS, type DetailLevel } from '../../../functions/config';
import type { RelayEvent } from '../../../functions/paubox';
import { fixtureEvent } from '../../support/events';
import { stormEvents } from '../../support/storm-events';
import {
  digestFacts,
  digestGuidance,
  digestLists,
  digestShowsFingerprints,
} from '../../../functions/alerts/digest-text';
import { FINGERPRINT_NOTE } from '../../../functions/alerts/guidance';
import { renderSlackView, renderTeamsView } from '../../../functions/chat';

const KEY = 'test-fingerprint-key';
const viewOf = (events: readonly RelayEvent[], detail: DetailLevel = 'minimal'): DigestView =>
  toDigestView(events, { destination: 'ops', detail, fingerprintKey: KEY });

describe('toDigestView', () => {
  it('counts by type, sender and recipient domain; all counts add up to the number of events', () => {
    const events = stormEvents(1000, { senderDomains: ['a.example', 'b.example'], temporaryShare: 0.25 });
    const view = viewOf(events);
    expect(view.count).toBe(1000);
    expect(view.title).toBe('1,000 messages failed to send');
    expect(view.byType).toEqual([
      { type: 'permanent_failure', label: 'Permanent failure (hard bounce)', count: 750 },
      { type: 'temporary_failure', label: 'Temporary failure (soft bounce, Paubox may still deliver it)', count: 250 },
    ]);
    const sum = (list: readonly { count: number }[]): number => list.reduce((n, c) => n + c.count, 0);
    expect(sum(view.byType)).toBe(1000);
    expect(sum(view.senderDomains.top)).toBe(1000);
    expect(sum(view.senders.top)).toBe(1000);
    expect(view.recipientDomains).toEqual({
      top: [
        { value: 'patients.example.org', count: 334 },
        { value: 'mail.example.net', count: 333 },
        { value: 'health.example.com', count: 333 },
      ],
      distinct: 3,
    });
    expect(view.distinctRecipients).toBe(1000);
  });

  it('keeps the ten most frequent values of a list and how many distinct values there were', () => {
    const domains = Array.from({ length: 25 }, (_, i) => `d${i}.example`);
    const view = viewOf(stormEvents(100, { recipientDomains: domains }));
    expect(view.recipientDomains.distinct).toBe(25);
    expect(view.recipientDomains.top).toHaveLength(10);
    expect(view.recipientDomains.top[0]).toEqual({ value: 'd0.example', count: 4 });
  });

  it('gives the time range and the first Message-IDs in time order, whatever the batch order', () => {
    const events = stormEvents(8, { spacingMs: 1000 });
    const view = viewOf([...events].reverse());
    expect(view.firstTime).toBe(events[0]!.time);
    expect(view.lastTime).toBe(events[7]!.time);
    expect(view.messageIds).toEqual({ first: events.slice(0, 5).map((e) => e.messageId), total: 8 });
    expect(view.key).toBe(digestKey(events));
    expect(view.key).toMatch(/^d-[0-9a-f]{30}$/);
  });

  it.each(DETAIL_LEVELS)(
    'at %s, holds recipient addresses only above minimal, and never subjects or custom headers',
    (detail) => {
      const events = stormEvents(20);
      const view = viewOf(events, detail);
      const json = JSON.stringify(view);
      expect(json).not.toContain('Your lab results');
      expect(json).not.toContain('X-Patient-Ref');
      expect(json).not.toContain('P-1');
      if (detail === 'minimal') {
        expect(view.recipients).toBeUndefined();
        expect(json).not.toMatch(/patient\d+@/);
      } else {
        expect(view.recipients).toEqual({ first: events.slice(0, 5).map((e) => e.recipients[0]), total: 20 });
      }
      // Fingerprints tell recipients apart without naming them.
      expect(view.distinctRecipients).toBe(
        new Set(events.map((e) => recipientFingerprint(e.recipients[0]!, KEY))).size,
      );
    },
  );

  it('refuses an empty digest and one that mixes categories', () => {
    expect(() => viewOf([])).toThrow('at least one event');
    expect(() => viewOf([...stormEvents(1), fixtureEvent('delivered')])).toThrow('one category');
  });
});

describe('categoryOf and digestKey', () => {
  it('groups both failure types as failures, and deliveries and opens on their own', () => {
    expect(
      ['permanent_failure', 'temporary_failure', 'delivered', 'opened'].map((t) => categoryOf(t as never)),
    ).toEqual(['failure', 'failure', 'delivered', 'opened']);
  });

  it('gives the same events the same key whatever their order, and other events another', () => {
    const events = stormEvents(5);
    expect(digestKey([...events].reverse())).toBe(digestKey(events));
    expect(digestKey(events.slice(1))).not.toBe(digestKey(events));
  });
});

describe('a digest carries the stop-sending advice of its hard bounces', () => {
  const events = stormEvents(6);
  const fingerprintOf = (i: number) => recipientFingerprint(events[i]!.recipients[0]!, KEY);
  const advisedOf = (event: RelayEvent) => {
    const i = events.indexOf(event);
    // Two events advise about the same recipient, with the count growing: the digest names it once, at its highest.
    if (i === 1 || i === 3)
      return { advised: [{ fingerprint: fingerprintOf(1), count: i === 1 ? 3 : 4, windowDays: 30 }] };
    if (i === 5) return { advised: [{ fingerprint: fingerprintOf(5), count: 3, windowDays: 30 }] };
    return undefined;
  };
  const view = (detail: DetailLevel) =>
    toDigestView(events, { destination: 'ops', detail, fingerprintKey: KEY }, advisedOf);

  it('lists each advised recipient once by fingerprint, at every detail level, and says what to do', () => {
    for (const detail of ['minimal', 'recipient', 'full'] as const) {
      expect(digestLists(view(detail), 10).find((l) => l.id === 'stopSending')).toEqual({
        id: 'stopSending',
        label: 'Stop sending to (hard bounces)',
        items: [
          { value: fingerprintOf(1), count: 4 },
          { value: fingerprintOf(5), count: 3 },
        ],
      });
      expect(digestGuidance(view(detail))).toMatch(/^Stop sending to the 2 recipients listed .* within 30 days/);
      expect(digestShowsFingerprints(view(detail))).toBe(true);
      const slack = JSON.stringify(renderSlackView(view(detail)));
      expect(slack).toContain(fingerprintOf(5));
      expect(slack).toContain(FINGERPRINT_NOTE);
      expect(JSON.stringify(renderTeamsView(view(detail)))).toContain(fingerprintOf(5));
    }
  });

  it('has no such list, and no such advice, when nothing was advised', () => {
    const plain = toDigestView(events, { destination: 'ops', detail: 'minimal', fingerprintKey: KEY }, () => undefined);
    expect(plain.stopSending).toBeUndefined();
    expect(digestLists(plain, 10).map((l) => l.id)).not.toContain('stopSending');
    expect(digestGuidance(plain)).not.toContain('Stop sending');
  });
});

describe('a digest names the recipients that failed more than once', () => {
  const events = stormEvents(6);
  const repeated = new Map([
    [recipientFingerprint(events[1]!.recipients[0]!, KEY), 3],
    [recipientFingerprint(events[4]!.recipients[0]!, KEY), 2],
    [recipientFingerprint(events[2]!.recipients[0]!, KEY), 1],
  ]);
  const view = (detail: DetailLevel) =>
    toDigestView(events, { destination: 'ops', detail, fingerprintKey: KEY }, () => ({ failureCounts: repeated }));
  const listOf = (detail: DetailLevel) => digestLists(view(detail), 10).find((l) => l.id === 'repeatedRecipients');

  it('by fingerprint at minimal, most failures first, and then explains what a fingerprint is', () => {
    expect(view('minimal').repeatedRecipients).toBe(2);
    expect(listOf('minimal')).toEqual({
      id: 'repeatedRecipients',
      label: 'Failed more than once in 24 h',
      items: [
        { value: recipientFingerprint(events[1]!.recipients[0]!, KEY), count: 3 },
        { value: recipientFingerprint(events[4]!.recipients[0]!, KEY), count: 2 },
      ],
    });
    expect(digestShowsFingerprints(view('minimal'))).toBe(true);
    expect(JSON.stringify(renderSlackView(view('minimal')))).toContain(FINGERPRINT_NOTE);
    expect(JSON.stringify(renderTeamsView(view('minimal')))).toContain('recipient fingerprint');
  });

  it('by address where the detail level shows addresses, with no fingerprint and so no note', () => {
    for (const detail of ['recipient', 'full'] as const) {
      expect(listOf(detail)?.items).toEqual([
        { value: events[1]!.recipients[0], count: 3 },
        { value: events[4]!.recipients[0], count: 2 },
      ]);
      expect(digestShowsFingerprints(view(detail))).toBe(false);
      expect(JSON.stringify(renderSlackView(view(detail)))).not.toContain('fingerprint');
      expect(JSON.stringify(renderTeamsView(view(detail)))).not.toContain('fingerprint');
    }
  });

  it('counts each type in the plural it needs', () => {
    expect(digestFacts(view('minimal'))[0]).toEqual({
      label: 'Events',
      value: '6: 5 permanent failures, 1 temporary failure',
    });
  });
});
