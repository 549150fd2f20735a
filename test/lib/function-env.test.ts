import type { EnvSpec } from '../../functions/aws';
import * as environments from '../../functions/aws';
import { recordStack } from './record-stack';

/** Every function gets RELAY_ENV beside its own spec: the Relay dimension of its metrics. */
const COMMON: EnvSpec = environments.RELAY_ENV;
const SPECS = Object.entries(environments).filter(([name]) => name.endsWith('_ENV') && name !== 'RELAY_ENV') as [
  string,
  EnvSpec,
][];
const namesOf = (spec: EnvSpec, required: boolean) =>
  Object.values(spec)
    .filter((v) => !v.optional || !required)
    .map((v) => v.name);

describe('the environment the construct writes is the one each handler reads', () => {
  const { resources } = recordStack({
    // A Slack app destination too: its buttons' interactivity function.
    destinations: [
      { name: 'ops', kind: 'slack' },
      { name: 'care-team', kind: 'teams', detail: 'full' },
      { name: 'care-app', kind: 'slack', channel: 'C0123ABCDEF' },
    ],
    routes: [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops', 'care-team', 'care-app'] }],
    archive: {},
    reports: [{ to: ['ops'], every: 'day' }],
    automation: { eventBridge: true },
    health: { to: ['ops'], heartbeat: true },
    display: { timeZone: 'America/New_York' },
  });
  const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');

  it('sets every variable a function requires, and none its spec does not define', () => {
    const matched = new Set<string>();
    for (const [id, resource] of functions) {
      const env = (resource.Properties as { Environment?: { Variables: Record<string, unknown> } }).Environment;
      const all = Object.keys(env?.Variables ?? {});
      expect([id, namesOf(COMMON, true).filter((n) => !all.includes(n))]).toEqual([id, []]);
      const names = all.filter(
        (n) => !n.startsWith('AWS_') && !n.startsWith('POWERTOOLS_') && !namesOf(COMMON, false).includes(n),
      );
      if (names.length === 0) continue;
      const fits = SPECS.filter(
        ([, spec]) =>
          namesOf(spec, true).every((n) => names.includes(n)) && names.every((n) => namesOf(spec, false).includes(n)),
      );
      expect([id, fits.map(([name]) => name)]).toEqual([id, [expect.any(String)]]);
      matched.add(fits[0]![0]);
    }
    // The notifier (three destinations), ingest, rotation, self-test, health, probe, archive, automation, report
    // and interactivity functions.
    expect([...matched].sort()).toEqual(SPECS.map(([name]) => name).sort());
  });
});
