import { ConfigError } from '../../../functions/config/errors';
import { parseRelayConfig } from '../../../functions/config/parse-relay-config';

function problems(raw: unknown): string[] {
  try {
    parseRelayConfig(raw, 'deploy');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

const base = {
  destinations: [
    { name: 'ops', kind: 'slack' },
    { name: 'oncall', kind: 'teams' },
  ],
  routes: [{ events: ['permanent_failure'], to: ['ops', 'oncall'] }],
};

describe('parseRelayConfig: health', () => {
  it('defaults to notices for every other destination, hourly probes and 4-hourly reminders', () => {
    expect(parseRelayConfig(base, 'deploy').health).toEqual({ probeMinutes: 60, reminderHours: 4, heartbeat: false });
  });

  it('keeps health.to and refuses a name no destination has', () => {
    expect(parseRelayConfig({ ...base, health: { to: ['ops'] } }, 'deploy').health?.to).toEqual(['ops']);
    expect(problems({ ...base, health: { to: ['ops', 'pager'] } })).toEqual([
      'health.to[1]: no destination is named "pager" (defined: ops, oncall)',
    ]);
  });

  it('bounds probeMinutes and reminderHours', () => {
    expect(problems({ ...base, health: { probeMinutes: 1, reminderHours: 0 } })).toHaveLength(2);
  });
});

describe('parseRelayConfig: limits the deploy would hit', () => {
  it('refuses routes whose $or filter policy needs more than the 5 keys SNS allows, saying how to split', () => {
    const routes = ['a.example', 'b.example', 'c.example'].map((domain) => ({
      events: ['temporary_failure'],
      senderDomains: [domain],
      to: ['ops'],
    }));
    const found = problems({ ...base, routes: [...base.routes, ...routes] });
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/routes to "ops" need a filter policy of 7 keys, more than the 5 SNS allows/);
    expect(found[0]).toMatch(/split the route/);
  });

  it('accepts two domain lists and an unrestricted route (5 keys)', () => {
    const routes = ['a.example', 'b.example'].map((domain) => ({
      events: ['temporary_failure'],
      senderDomains: [domain],
      to: ['ops'],
    }));
    expect(() => parseRelayConfig({ ...base, routes: [...base.routes, ...routes] }, 'deploy')).not.toThrow();
  });

  it('refuses a reserved concurrency a new account cannot grant, naming the queue bound instead', () => {
    const [problem, ...more] = problems({ ...base, ingest: { reservedConcurrency: 20 } });
    expect(more).toEqual([]);
    expect(problem).toMatch(/^ingest\.reservedConcurrency: a new AWS account's concurrency quota is 10 /);
    expect(problem).toContain("bounded without a reservation, by its queue's maximum concurrency (2 batches at once)");
    expect(problem).toContain('set ingest.accountConcurrency to it');
  });

  it('takes a reservation that fits under the stated quota less the 100 Lambda keeps, and refuses one over it', () => {
    const fits = parseRelayConfig(
      { ...base, ingest: { reservedConcurrency: 900, accountConcurrency: 1000 } },
      'deploy',
    );
    expect(fits.ingest?.reservedConcurrency).toBe(900);
    expect(problems({ ...base, ingest: { reservedConcurrency: 901, accountConcurrency: 1000 } })).toEqual([
      'ingest.reservedConcurrency: 901 does not fit in an account concurrency of 1000, of which Lambda keeps 100 ' +
        "unreserved (at most 900 can be reserved). The ingest consumer is already bounded without a reservation, by its queue's " +
        'maximum concurrency (2 batches at once): remove ingest.reservedConcurrency, or lower it',
    ]);
    expect(problems({ ...base, ingest: { reservedConcurrency: 5, accountConcurrency: 50 } })[0]).toContain(
      '(none can be reserved)',
    );
  });
});
