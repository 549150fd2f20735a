import * as fc from 'fast-check';
import { explainFilterPolicy } from '../../../functions/routing/explain-policy';
import { EVENT_TYPES } from '../../../functions/paubox';
import { filterPolicyFor, matchesFilterPolicy, type Route } from '../../../functions/routing/filter-policy';

const attrs = (event_type: string, sender_domain: string) => ({ event_type, sender_domain });

describe('explainFilterPolicy', () => {
  const routes: Route[] = [
    { events: ['permanent_failure'], senderDomains: ['billing.example.com'], to: ['x'] },
    { events: ['temporary_failure'], to: ['x'] },
  ];
  const policy = filterPolicyFor('x', routes)!;

  it('names the $or branch and the domain matcher that let an event through', () => {
    expect(explainFilterPolicy(policy, attrs('permanent_failure', 'mail.billing.example.com'))).toEqual({
      matched: true,
      term:
        'event_type permanent_failure in [permanent_failure] and sender_domain mail.billing.example.com matches ' +
        '*.billing.example.com ($or branch 1 of 2)',
    });
    expect(explainFilterPolicy(policy, attrs('temporary_failure', 'other.example'))).toEqual({
      matched: true,
      term: 'event_type temporary_failure in [temporary_failure] ($or branch 2 of 2)',
    });
  });

  it('says which term failed in each branch when nothing matched', () => {
    expect(explainFilterPolicy(policy, attrs('permanent_failure', 'clinic.example.com'))).toEqual({
      matched: false,
      term:
        'sender_domain clinic.example.com matches none of [billing.example.com, *.billing.example.com] ($or branch 1 of 2); ' +
        'event_type permanent_failure not in [temporary_failure] ($or branch 2 of 2)',
    });
    expect(explainFilterPolicy({ event_type: ['delivered'] }, attrs('opened', 'a.example')).term).toBe(
      'event_type opened not in [delivered]',
    );
  });

  it('agrees with matchesFilterPolicy on every generated policy and event', () => {
    const domain = fc.constantFrom('a.example', 'mail.a.example', 'b.example', 'x.b.example', 'c.example');
    const route = fc.record({
      events: fc.subarray([...EVENT_TYPES], { minLength: 1 }),
      senderDomains: fc.option(fc.subarray(['a.example', 'b.example'], { minLength: 1 }), { nil: undefined }),
      to: fc.constant(['x']),
    });
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(
        fc.array(route, { minLength: 1, maxLength: 4 }),
        fc.constantFrom(...EVENT_TYPES),
        domain,
        (rs, type, d) => {
          const p = filterPolicyFor(
            'x',
            rs.map((r) => (r.senderDomains ? r : { events: r.events, to: r.to })),
          )!;
          expect(explainFilterPolicy(p, attrs(type, d)).matched).toBe(matchesFilterPolicy(p, attrs(type, d)));
        },
      ),
      { seed: 20261202, numRuns: 500 },
    );
  });
});
