import fc from 'fast-check';
import { MAX_POSTS_PER_BATCH, planPosts } from '../../../functions/alerts/plan-posts';
import type { RelayEvent } from '../../../functions/paubox';
import { fixtureEvent } from '../../support/events';
import { stormEvents } from '../../support/storm-events';

const plan = (events: readonly RelayEvent[], minGroupSize = 2, maxPosts = MAX_POSTS_PER_BATCH) =>
  planPosts(events, (e) => e, { minGroupSize, maxPosts });

describe('planPosts', () => {
  it('posts a lone event as it is, and a group of two or more as one digest per category and sender domain', () => {
    const storm = stormEvents(5, { senderDomains: ['a.example', 'b.example'] });
    const delivered = { ...fixtureEvent('delivered'), senderDomain: 'a.example' };
    const posts = plan([...storm, delivered]);
    expect(posts.map((p) => [p.kind, p.items.map((e) => e.senderDomain), p.items.map((e) => e.type)])).toEqual([
      // Both failure types read "failed to send": one digest for them.
      [
        'digest',
        ['a.example', 'a.example', 'a.example'],
        ['permanent_failure', 'permanent_failure', 'temporary_failure'],
      ],
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
    expect(plan(stormEvents(30, { senderDomains: domains }), 100, 3).map((p) => [p.kind, p.items.length])).toEqual([
      ['digest', 30],
    ]);
  });

  it('puts every event in exactly one post, in the order they came (property)', () => {
    const event = fc.record({
      type: fc.constantFrom('permanent_failure', 'temporary_failure', 'delivered', 'opened'),
      senderDomain: fc.constantFrom('a.example', 'b.example', 'c.example', 'd.example'),
    });
    fc.assert(
      fc.property(
        fc.array(event, { maxLength: 200 }),
        fc.integer({ min: 2, max: 20 }),
        fc.integer({ min: 1, max: 12 }),
        (shapes, min, max) => {
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
        },
      ),
    );
  });
});

describe('planPosts while a bounce-rate alert fires (inhibition)', () => {
  const failure = fixtureEvent('permanent_failure');
  const of = (senderDomain: string, key: string): RelayEvent => ({ ...failure, senderDomain, key });
  const events = [of('firing.example', 'a'), of('quiet.example', 'b'), of('firing.example', 'c')];
  const inhibited = (e: RelayEvent) => e.senderDomain === 'firing.example';

  it('folds the firing domain into a digest below minGroupSize, counts kept, and leaves the rest alone', () => {
    const posts = planPosts(events, (e) => e, { minGroupSize: 10, maxPosts: MAX_POSTS_PER_BATCH, inhibited });
    expect(posts.map((p) => [p.kind, p.items.map((e) => e.key)])).toEqual([
      ['digest', ['a', 'c']],
      ['single', ['b']],
    ]);
  });

  it('folds even one event into a digest; without inhibition it is a lone alert', () => {
    const one = [of('firing.example', 'a')];
    expect(planPosts(one, (e) => e, { minGroupSize: 2, maxPosts: 10, inhibited })[0]!.kind).toBe('digest');
    expect(planPosts(one, (e) => e, { minGroupSize: 2, maxPosts: 10 })[0]!.kind).toBe('single');
  });
});
