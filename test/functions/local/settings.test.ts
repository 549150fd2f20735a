import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localSettings } from '../../../functions/local/settings';

/* The local relay's settings of a Slack app destination: its credentials are checked before it starts. */

function appConfig(): string {
  const dir = mkdtempSync(join(tmpdir(), 'settings-app-'));
  const file = join(dir, 'relay.config.json');
  writeFileSync(
    file,
    JSON.stringify({
      destinations: [{ name: 'care-app', channel: 'C0123ABCDEF' }],
      routes: [{ events: ['permanent_failure'], to: ['care-app'] }],
    }),
  );
  return file;
}

describe('localSettings of a Slack app destination', () => {
  it('refuses to start without a bot token, naming the variables to set', () => {
    expect(() => localSettings({ RELAY_CONFIG: appConfig() }, tmpdir())).toThrow(
      /destination "care-app" has a "channel".*RELAY_SLACK_BOT_TOKEN_CARE_APP or RELAY_SLACK_BOT_TOKEN/,
    );
  });

  it('refuses a Web API base URL that is neither https nor on a loopback address', () => {
    const env = {
      RELAY_CONFIG: appConfig(),
      RELAY_SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_BASE_URL: 'http://slack.example/api/',
    };
    expect(() => localSettings(env, tmpdir())).toThrow(/SLACK_API_BASE_URL must be an https URL/);
  });

  it('passes the environment on for the credentials, read again by each send', () => {
    const env = {
      RELAY_CONFIG: appConfig(),
      RELAY_SLACK_BOT_TOKEN: 'xoxb-1',
      SLACK_API_BASE_URL: 'http://127.0.0.1:9/api/',
    };
    expect(localSettings(env, tmpdir()).env).toBe(env);
  });
});
