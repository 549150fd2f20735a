import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRelayConfig } from '../../../functions/config';
import {
  eventTypesOf,
  filterCombinations,
  filterPolicyFor,
  matchesFilterPolicy,
  type Route,
} from '../../../functions/routing/filter-policy';

const example = parseRelayConfig(
  JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'relay.config.example.json'), 'utf8')),
  'deploy',
);
const attrs = (event_type: string, sender_domain: string) => ({ event_type, sender_domain });

describe('filterPolicyFor', () => {
  it('derives the example config policies', () => {
    expect(filterPolicyFor('ops', example.routes)).toEqual({ event_type: ['permanent_failure', 'temporary_failure'] });
    expect(filterPolicyFor('care-team', example.routes)).toEqual({
      event_type: ['permanent_failure'],
      sender_domain: ['clinic.example.com', { suffix: '.clinic.example.com' }],
    });
  });

  it('returns undefined for a destination no route names', () => {
    expect(filterPolicyFor('nobody', example.routes)).toBeUndefined();
  });

  it('needs $or when one destination has routes with different domain limits', () => {
    const routes: Route[] = [
      { events: ['permanent_failure'], senderDomains: ['billing.example.com'], to: ['x'] },
      { events: ['temporary_failure'], to: ['x'] },
    ];
    expect(filterPolicyFor('x', routes)).toEqual({
      $or: [
        {
          event_type: ['permanent_failure'],
          sender_domain: ['billing.example.com', { suffix: '.billing.example.com' }],
        },
        { event_type: ['temporary_failure'] },
      ],
    });
  });

  it('merges routes with the same domains and drops clauses an unrestricted route already covers', () => {
    const routes: Route[] = [
      { events: ['permanent_failure'], senderDomains: ['A.example.com'], to: ['x'] },
      { events: ['opened'], senderDomains: ['a.example.com'], to: ['x'] },
      { events: ['permanent_failure'], to: ['x'] },
    ];
    expect(filterPolicyFor('x', routes)).toEqual({
      $or: [
        { event_type: ['opened'], sender_domain: ['a.example.com', { suffix: '.a.example.com' }] },
        { event_type: ['permanent_failure'] },
      ],
    });
  });

  it('counts combinations the way SNS does', () => {
    const policy = filterPolicyFor('x', [
      { events: ['permanent_failure', 'temporary_failure'], senderDomains: ['a.example', 'b.example'], to: ['x'] },
      { events: ['delivered'], to: ['x'] },
    ])!;
    expect(filterCombinations(policy)).toBe(2 * 4 + 1);
  });
});

describe('matchesFilterPolicy', () => {
  const care = filterPolicyFor('care-team', example.routes)!;

  it('matches a domain and its subdomains, never a look-alike', () => {
    expect(matchesFilterPolicy(care, attrs('permanent_failure', 'clinic.example.com'))).toBe(true);
    expect(matchesFilterPolicy(care, attrs('permanent_failure', 'mail.clinic.example.com'))).toBe(true);
    expect(matchesFilterPolicy(care, attrs('permanent_failure', 'evilclinic.example.com'))).toBe(false);
    expect(matchesFilterPolicy(care, attrs('permanent_failure', 'clinic.example.com.evil.test'))).toBe(false);
  });

  it('checks the event type', () => {
    expect(matchesFilterPolicy(care, attrs('temporary_failure', 'clinic.example.com'))).toBe(false);
    const ops = filterPolicyFor('ops', example.routes)!;
    expect(matchesFilterPolicy(ops, attrs('temporary_failure', 'any.example'))).toBe(true);
    expect(matchesFilterPolicy(ops, attrs('delivered', 'any.example'))).toBe(false);
  });

  it('takes any branch of $or', () => {
    const policy = filterPolicyFor('x', [
      { events: ['permanent_failure'], senderDomains: ['billing.example.com'], to: ['x'] },
      { events: ['opened'], to: ['x'] },
    ])!;
    expect(matchesFilterPolicy(policy, attrs('opened', 'other.example'))).toBe(true);
    expect(matchesFilterPolicy(policy, attrs('permanent_failure', 'billing.example.com'))).toBe(true);
    expect(matchesFilterPolicy(policy, attrs('permanent_failure', 'other.example'))).toBe(false);
  });
});

describe('eventTypesOf', () => {
  it('lists the event types a policy lets through once each, in the order of its clauses', () => {
    const failures = ['permanent_failure', 'temporary_failure'];
    expect(eventTypesOf({ event_type: failures })).toEqual(failures);
    expect(
      eventTypesOf({
        $or: [
          { event_type: ['opened'], sender_domain: ['a.example'] },
          { event_type: ['delivered', 'opened'], sender_domain: ['b.example'] },
        ],
      }),
    ).toEqual(['opened', 'delivered']);
  });
});
