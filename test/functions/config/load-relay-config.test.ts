import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDestinationUrl } from '../../../functions/chat';
import { loadRelayConfigFile } from '../../../functions/config/load-relay-config';

describe('loadRelayConfigFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-config-'));

  it('names the file in every problem', () => {
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ destinations: [], routes: [] }));
    expect(() => loadRelayConfigFile(path, 'local', checkDestinationUrl)).toThrow(
      `${path}: destinations: must not be empty`,
    );
  });

  it('explains unreadable files and bad JSON', () => {
    expect(() => loadRelayConfigFile(join(dir, 'missing.json'), 'local', checkDestinationUrl)).toThrow(
      /cannot read .*missing\.json: ENOENT/,
    );
    const path = join(dir, 'broken.json');
    writeFileSync(path, '{ "destinations": [');
    expect(() => loadRelayConfigFile(path, 'local', checkDestinationUrl)).toThrow(/broken\.json is not valid JSON/);
  });

  it('checks the inline URLs of a local file, and refuses them in a file to deploy', () => {
    const path = join(dir, 'inline-url.json');
    const config = {
      destinations: [{ name: 'ops', url: 'https://hooks.slack.com.evil.test/services/x' }],
      routes: [{ events: ['opened'], to: ['ops'] }],
    };
    writeFileSync(path, JSON.stringify(config));
    expect(() => loadRelayConfigFile(path, 'local', checkDestinationUrl)).toThrow(
      `${path}: destinations[0].url has host hooks.slack.com.evil.test, which is neither Slack`,
    );
    expect(() => loadRelayConfigFile(path, 'deploy')).toThrow(
      `${path}: destinations[0].url: inline URLs are refused when deploying`,
    );
    config.destinations[0]!.url = 'https://hooks.slack.com/services/T000/B000/XXXXXXXX';
    writeFileSync(path, JSON.stringify(config));
    expect(loadRelayConfigFile(path, 'local', checkDestinationUrl).destinations[0]!.kind).toBe('slack');
  });
});
