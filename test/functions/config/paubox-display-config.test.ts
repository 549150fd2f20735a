import { ConfigError } from '../../../functions/config/errors';
import { parseRelayConfig } from '../../../functions/config/parse-relay-config';
import { checkDestinationUrl } from '../../../functions/chat';

const base = {
  destinations: [{ name: 'ops', kind: 'console' }],
  routes: [{ events: ['permanent_failure'], to: ['ops'] }],
};

function problems(extra: Record<string, unknown>, mode: 'local' | 'deploy' = 'deploy'): string[] {
  try {
    if (mode === 'deploy') parseRelayConfig({ ...base, destinations: [{ name: 'ops' }], ...extra }, mode);
    else parseRelayConfig({ ...base, ...extra }, mode, checkDestinationUrl);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  return [];
}

describe('paubox and display configuration', () => {
  it('takes a base URL and enrich, and a time zone; both default to off and UTC', () => {
    const config = parseRelayConfig(
      {
        ...base,
        destinations: [{ name: 'ops' }],
        paubox: { apiBaseUrl: 'https://api.paubox.net/v1/clinic', enrich: true },
        display: { timeZone: 'America/Chicago' },
      },
      'deploy',
    );
    expect(config.paubox).toEqual({ apiBaseUrl: 'https://api.paubox.net/v1/clinic', enrich: true });
    expect(config.display).toEqual({ timeZone: 'America/Chicago' });
    expect(
      parseRelayConfig({ ...base, destinations: [{ name: 'ops' }], paubox: {}, display: {} }, 'deploy'),
    ).toMatchObject({ paubox: { enrich: false }, display: { timeZone: 'UTC' } });
  });

  it.each([
    [
      { paubox: { enrich: true } },
      /^paubox.apiBaseUrl: required when paubox.enrich is true; .*https:\/\/api.paubox.net/,
    ],
    [{ paubox: { apiBaseUrl: 'http://api.paubox.net/v1/x' } }, /^paubox.apiBaseUrl must use https, got http:\/\/api/],
    [{ paubox: { apiBaseUrl: 'http://127.0.0.1:9/v1/x' } }, /^paubox.apiBaseUrl must use https/],
    [{ paubox: { apiBaseUrl: 'https://u:p@api.paubox.net/v1/x' } }, /must not hold a user, password, query/],
    [{ paubox: { apiBaseUrl: 'not a url' } }, /^paubox.apiBaseUrl is not a URL; expected one such as https:/],
    [{ paubox: { enrich: 'yes' } }, /^paubox.enrich: expected a boolean/],
    [{ display: { timeZone: 'Mars/Olympus' } }, /^display.timeZone: "Mars\/Olympus" is not a time zone; use an IANA/],
    [{ display: { zone: 'UTC' } }, /^display: unknown key "zone"; allowed: timeZone/],
  ])('%j is refused with what to write instead', (extra, problem) => {
    expect(problems(extra)).toEqual([expect.stringMatching(problem)]);
  });

  it('locally, http on a loopback address is allowed, as for destinations', () => {
    expect(problems({ paubox: { apiBaseUrl: 'http://127.0.0.1:9/v1/x', enrich: true } }, 'local')).toEqual([]);
    expect(problems({ paubox: { apiBaseUrl: 'http://10.0.0.1/v1/x' } }, 'local')).toEqual([
      expect.stringMatching(/must use https \(http only on a loopback address\)/),
    ]);
  });
});
