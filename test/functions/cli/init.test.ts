import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../functions/cli/run-cli';
import { loadRelayConfigFile } from '../../../functions/config';
import { checkDestinationUrl } from '../../../functions/chat';
import { captureIo } from '../../support/deployed-stack';

const SLACK = 'https://hooks.slack.com/services/T000/B000/SECRETPART';
const inDir = (cwd: string) => ({ ...captureIo(), cwd });

describe('init', () => {
  it('writes a console-only config that the local relay accepts, and says what it wrote', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-init-'));
    const cli = inDir(cwd);
    await expect(runCli(['init'], cli)).resolves.toBe(0);
    const file = join(cwd, 'relay.config.json');
    const config = loadRelayConfigFile(file, 'local', checkDestinationUrl);
    expect(config.destinations.map((d) => [d.name, d.kind])).toEqual([['terminal', 'console']]);
    expect(config.routes).toEqual([{ events: ['permanent_failure', 'temporary_failure'], to: ['terminal'] }]);
    expect(cli.stdout()).toContain('Wrote relay.config.json:\n  terminal: failures printed on the console');
    expect(cli.stdout()).toContain('Start the relay: npm start');
  });

  it('posts to the Slack and Teams URLs given, keeps the file private and never prints a URL', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-init-urls-'));
    const teams = 'https://prod-12.westus.logic.azure.com:443/workflows/abc/triggers/manual/paths/invoke?sig=SIGPART';
    const cli = inDir(cwd);
    await expect(runCli(['init', '--slack-url', SLACK, '--teams-url', teams], cli)).resolves.toBe(0);
    const file = join(cwd, 'relay.config.json');
    const config = loadRelayConfigFile(file, 'local', checkDestinationUrl);
    expect(config.destinations.map((d) => [d.name, d.kind, d.url])).toEqual([
      ['slack', 'slack', SLACK],
      ['teams', 'teams', teams],
    ]);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(cli.stdout()).toContain('  slack: failures posted to Slack (hooks.slack.com)');
    expect(cli.stdout()).toContain('  teams: failures posted to');
    expect(cli.stdout() + cli.stderr()).not.toMatch(/SECRETPART|SIGPART/);
  });

  it('refuses to overwrite without --force, and a URL of the wrong platform', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-init-force-'));
    writeFileSync(join(cwd, 'relay.config.json'), '{"mine": true}\n');
    const refused = inDir(cwd);
    await expect(runCli(['init'], refused)).resolves.toBe(1);
    expect(refused.stderr()).toContain(
      'relay.config.json already exists; keep it, or replace it: npx paubox-relay init --force',
    );
    expect(readFileSync(join(cwd, 'relay.config.json'), 'utf8')).toBe('{"mine": true}\n');

    const wrong = inDir(cwd);
    await expect(runCli(['init', '--force', '--teams-url', SLACK], wrong)).resolves.toBe(1);
    expect(wrong.stderr()).toContain('--teams-url is a slack URL');
    expect(wrong.stderr()).toContain('nothing written');
    expect(readFileSync(join(cwd, 'relay.config.json'), 'utf8')).toBe('{"mine": true}\n');

    await expect(runCli(['init', '--force'], inDir(cwd))).resolves.toBe(0);
    expect(readFileSync(join(cwd, 'relay.config.json'), 'utf8')).toContain('"terminal"');
  });
});
