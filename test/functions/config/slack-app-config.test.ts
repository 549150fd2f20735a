import { checkDestinationUrl } from '../../../functions/chat';
import { ConfigError } from '../../../functions/config/errors';
import { parseRelayConfig } from '../../../functions/config/parse-relay-config';
import type { ConfigMode } from '../../../functions/config/relay-config';

const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';

const oneDestination = (destination: Record<string, unknown>) => ({
  destinations: [{ name: 'ops', ...destination }],
  routes: [{ events: ['permanent_failure'], to: ['ops'] }],
});

function problems(raw: unknown, mode: ConfigMode): string[] {
  try {
    parseRelayConfig(raw, mode, checkDestinationUrl);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseRelayConfig: Slack app mode', () => {
  it.each<ConfigMode>(['local', 'deploy'])('reads a channel id as app mode, of kind slack (%s)', (mode) => {
    const config = parseRelayConfig(oneDestination({ channel: 'C0123ABCDEF' }), mode, checkDestinationUrl);
    expect(config.destinations[0]).toMatchObject({ name: 'ops', kind: 'slack', channel: 'C0123ABCDEF' });
    expect(config.destinations[0]!.url).toBeUndefined();
  });

  it('refuses a channel name, a channel beside a url, and a channel on a Teams destination', () => {
    expect(problems(oneDestination({ channel: '#alerts' }), 'local')).toEqual([
      expect.stringMatching(
        /^destinations\[0\]\.channel: expected a Slack channel id such as C0123ABCDEF .*not its name$/,
      ),
    ]);
    const withUrl = problems(oneDestination({ channel: 'C0123ABCDEF', url: SLACK }), 'local');
    expect(withUrl).toEqual([
      expect.stringMatching(/^destinations\[0\]\.url: a destination with a "channel" .* takes no url/),
    ]);
    // The webhook URL is a credential: never repeated.
    expect(withUrl.join()).not.toContain('XXXXXXXX');
    expect(problems(oneDestination({ channel: 'C0123ABCDEF', kind: 'teams' }), 'deploy')).toEqual([
      expect.stringMatching(/only a Slack destination posts as an app/),
    ]);
  });

  it('refuses a misspelt key with the likely one', () => {
    expect(problems(oneDestination({ chanel: 'C0123ABCDEF' }), 'local')[0]).toMatch(/unknown key "chanel".*"channel"/);
  });
});
