import { filterPolicyFor, matchesFilterPolicy, withFollowUps } from '../../../functions/routing/filter-policy';

const attrs = (type: string, domain = 'clinic.example.com') => ({ event_type: type, sender_domain: domain });

describe('withFollowUps', () => {
  it('merges delivered and opened into the clause without domains, adding no key', () => {
    const routed = filterPolicyFor('app', [{ events: ['permanent_failure'], to: ['app'] }])!;
    expect(withFollowUps(routed)).toStrictEqual({ event_type: ['delivered', 'opened', 'permanent_failure'] });
  });

  it('adds a clause of its own when every route names sender domains, and then admits any domain', () => {
    const routed = filterPolicyFor('app', [
      { events: ['permanent_failure'], senderDomains: ['clinic.example.com'], to: ['app'] },
    ])!;
    const policy = withFollowUps(routed);
    expect(matchesFilterPolicy(policy, attrs('delivered', 'other.example.net'))).toBe(true);
    expect(matchesFilterPolicy(policy, attrs('opened', 'other.example.net'))).toBe(true);
    // Nothing else is widened.
    expect(matchesFilterPolicy(policy, attrs('permanent_failure', 'other.example.net'))).toBe(false);
    expect(matchesFilterPolicy(policy, attrs('temporary_failure'))).toBe(false);
    expect(matchesFilterPolicy(routed, attrs('delivered'))).toBe(false);
  });

  it('leaves a policy that already admits both everywhere as it is', () => {
    const routed = filterPolicyFor('app', [{ events: ['delivered', 'opened'], to: ['app'] }])!;
    expect(withFollowUps(routed)).toStrictEqual(routed);
  });
});
