import fc from 'fast-check';
import { recipientFingerprint } from '../../../functions/alerts/alert-view';
import { digestKey, toDigestView, type DigestView } from '../../../functions/alerts/digest-view';
import { DETAIL_LEVELS, type DetailLevel } from '../../../functions/config/detail-levels';
import { MAX_POSTS_PER_BATCH, planPosts } from '../../../functions/alerts/plan-posts';
import type { RelayEvent } from '../../../functions/paubox/relay-event';
import { fixtureEvent } from '../../support/events';
import { stormEvents } from '../../support/storm-events';

const KEY = 'test-fingerprint-key';
const viewOf = (events: readonly RelayEvent[], detail: DetailLevel = 'minimal'): DigestView =>
  toDigestView(events, { destination: 'ops', detail, fingerprintKey: KEY });
const plan = (events: readonly RelayEvent[], minGroupSize = 2, maxPosts = MAX_POSTS_PER_BATCH) =>
  planPosts(events, (e) => e, { minGroupSize, maxPosts });

describe('planPosts', () => {
  it('posts a lone event as it is, and a group of two or more as one digest per category and sender domain', () => {
    const storm = stormEvents(5, { senderDomains: ['a.example', 'b.example'] });
    const delivered = { ...fixtureEvent('delivered'), senderDomain: 'a.example' };
    const posts = plan([...storm, delivered]);
    expect(posts.map((p) => [p.kind, p.items.map((e) => e.senderDomain), p.items.map((e) => e.type)])).toEqual([
      // Both failure types read "failed to send": one digest for them.
      ['digest', ['a.example', 'a.example', 'a.example'], ['permanent_failure', 'permanent_failure', 'temporary_failure']],
      ['digest', ['b.example', 'b.example'], ['permanent_failure', 'permanent_failure']],
      ['single', ['a.example'], ['delivered']],
    ]);
  });

  it('posts groups smaller than minGroupSize event by event', () => {
    const posts = plan(stormEvents(4, { senderDomains: ['a.example', 'a.example', 'a.example', 'b.example'] }), 3);
    expect(posts.map((p) => [p.kind, p.items.length])).toEqual([
      ['digest', 3],
      ['single', 1],
    ]);
  });

  it('groups by category alone when sender domains would need more posts than allowed', () => {
    const domains = Array.from({ length: 30 }, (_, i) => `d${i}.example`);
    const posts = plan(stormEvents(60, { senderDomains: domains }));
    expect(posts).toHaveLength(1);
    expect(posts[0]!.items).toHaveLength(60);
    // With many lone events, minGroupSize gives way too: still one post per category.
    expect(plan(stormEvents(30, { senderDomains: domains }), 100, 3).map((p) => [p.kind, p.items.length])).toEqual([['digest', 30]]);
  });

  it('puts every event in exactly one post, in the order they came (property)', () => {
    const event = fc.record({
      type: fc.constantFrom('permanent_failure', 'temporary_failure', 'delivered', 'opened'),
      senderDomain: fc.constantFrom('a.example', 'b.example', 'c.example', 'd.example'),
    });
    fc.assert(
      fc.property(fc.array(event, { maxLength: 200 }), fc.integer({ min: 2, max: 20 }), fc.integer({ min: 1, max: 12 }), (shapes, min, max) => {
        const events = shapes.map((s, i) => ({ ...stormEvents(1, { seed: String(i) })[0]!, ...s }) as RelayEvent);
        const posts = plan(events, min, max);
        const flat = posts.flatMap((p) => p.items);
        expect(flat).toHaveLength(events.length);
        expect(new Set(flat).size).toBe(events.length);
        for (const p of posts) {
          if (p.kind === 'single') expect(p.items).toHaveLength(1);
          const indexes = p.items.map((e) => events.indexOf(e));
          expect(indexes).toEqual([...indexes].sort((a, b) => a - b));
        }
      }),
    );
  });
});

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

  it.each(DETAIL_LEVELS)('at %s, holds recipient addresses only above minimal, and never subjects or custom headers', (detail) => {
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
    expect(view.distinctRecipients).toBe(new Set(events.map((e) => recipientFingerprint(e.recipients[0]!, KEY))).size);
  });

  it('refuses an empty digest and one that mixes categories', () => {
    expect(() => viewOf([])).toThrow('at least one event');
    expect(() => viewOf([...stormEvents(1), fixtureEvent('delivered')])).toThrow('one category');
  });
});
