import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DEFAULT_DEPLOY_CONFIG, parseRelayConfig, ConfigError } from '../../functions/config';
import { loadStackConfig, StackConfigError } from '../../lib';
import { projectApp } from './template-helpers';

describe('loadStackConfig', () => {
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'relay-config-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  test('refuses an inline URL in deploy mode', () => {
    const raw = {
      destinations: [{ name: 'ops', url: 'https://hooks.slack.com/services/T000/B000/XXXX' }],
      routes: [{ events: ['delivered'], to: ['ops'] }],
    };
    expect(() => parseRelayConfig(raw, 'deploy')).toThrow(ConfigError);
    const file = path.join(dir, 'inline-url.json');
    writeFileSync(file, JSON.stringify(raw));
    const app = projectApp({ config: file });
    expect(() => loadStackConfig(app, dir)).toThrow(/inline URLs are refused[\s\S]*-c config=/);
    expect(() => loadStackConfig(app, dir)).toThrow(StackConfigError);
  });

  test('reads the file named by the config context, relative to the working directory', () => {
    writeFileSync(
      path.join(dir, 'ok.json'),
      JSON.stringify({ destinations: [{ name: 'ops', kind: 'slack' }], routes: [{ events: ['opened'], to: ['ops'] }] }),
    );
    const config = loadStackConfig(projectApp({ config: 'ok.json' }), dir);
    expect(config.destinations).toEqual([
      {
        name: 'ops',
        kind: 'slack',
        detail: 'minimal',
        digest: { windowSeconds: 10, batchSize: 10_000, minGroupSize: 2 },
      },
    ]);
  });

  test('falls back to relay.config.json, then to the default configuration', () => {
    const empty = mkdtempSync(path.join(dir, 'empty-'));
    expect(loadStackConfig(projectApp(), empty)).toEqual(DEFAULT_DEPLOY_CONFIG);
    writeFileSync(
      path.join(empty, 'relay.config.json'),
      JSON.stringify({ destinations: [{ name: 'team' }], routes: [{ events: ['delivered'], to: ['team'] }] }),
    );
    expect(loadStackConfig(projectApp(), empty).destinations.map((d) => d.name)).toEqual(['team']);
  });
});
