import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDestinationUrl } from '../../functions/chat';
import { runCli } from '../../functions/cli';
import { loadRelayConfigFile } from '../../functions/config';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { captureIo } from '../support/deployed-stack';
import { startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';

/*
 * `npx paubox-relay verify --local` against a running local relay and a fake Slack on 127.0.0.1: every hop is
 * printed, nothing is posted to the channel, and a revoked webhook fails the run naming its destination.
 */

const TOKEN = 'verify-test-token';
let slack: FakeChatServer;
let relay: LocalRelay;
let dir: string;
let configPath: string;

beforeAll(async () => {
  // Slack's answer to a webhook POST without text: the webhook exists.
  slack = await startFakeChatServer({ status: 400, body: 'no_text' });
  dir = mkdtempSync(join(tmpdir(), 'relay-verify-'));
  configPath = join(dir, 'relay.config.json');
  writeFileSync(
    configPath,
    JSON.stringify({
      destinations: [{ name: 'ops', kind: 'slack', url: slack.url }],
      routes: [{ events: ['permanent_failure'], to: ['ops'] }],
    }),
  );
  relay = await startLocalRelay({
    config: loadRelayConfigFile(configPath, 'local', checkDestinationUrl),
    token: TOKEN,
    fingerprintKey: 'test-fingerprint-key',
    logger: silentLogger,
    port: 0,
    dataDir: dir,
    inspector: false,
    write: () => undefined,
  });
});

afterAll(async () => {
  await relay?.close();
  await slack?.close();
});

async function verify() {
  const io = {
    ...captureIo(),
    env: { PORT: new URL(relay.baseUrl).port, RELAY_TOKEN: TOKEN, RELAY_DATA_DIR: dir },
    cwd: dir,
  };
  const code = await runCli(['verify', '--local', '--config', configPath], io);
  return { code, lines: io.stdout().trimEnd().split('\n'), stderr: io.stderr() };
}

describe('verify --local', () => {
  it('prints every hop with its time and exits 0; the self-test reaches no channel', async () => {
    slack.received.length = 0;
    const { code, lines, stderr } = await verify();
    expect(stderr).toBe('');
    expect(lines.map((l) => l.split(/\s+/).slice(0, 2).join(' '))).toEqual([
      'ok api',
      'ok queued',
      'ok consumed',
      'ok published',
      'ok ops',
      'ok ops',
      'ok ops',
    ]);
    expect(lines[0]).toMatch(/answered 202 \(\d+ ms\)$/);
    expect(lines.slice(4).map((l) => l.split(/\s{2,}/)[1])).toEqual(['ops queue', 'ops notifier', 'ops probe']);
    expect(lines[6]).toContain('ops (slack): ok (no_text)');
    expect(code).toBe(0);
    // Only the probe's `{}` reached Slack: the self-test was never fanned out.
    expect(slack.received.map((r) => r.raw)).toEqual(['{}']);
  });

  it('exits 1 at a revoked Slack webhook, naming the destination and the fix', async () => {
    slack.script.push({ status: 404, body: 'no_service' });
    const { code, lines } = await verify();
    expect(code).toBe(1);
    const last = lines.at(-1)!;
    expect(last).toMatch(/^BROKEN\s+ops probe\s+ops \(slack\): BROKEN \(no_service\)/);
    expect(last).toContain('fix: npx paubox-relay set-destination ops <url>');
  });

  it('exits 1 at the api hop when the token is wrong, saying what to check', async () => {
    const io = {
      ...captureIo(),
      env: { PORT: new URL(relay.baseUrl).port, RELAY_TOKEN: 'not-the-token', RELAY_DATA_DIR: dir },
      cwd: dir,
    };
    expect(await runCli(['verify', '--local', '--config', configPath], io)).toBe(1);
    expect(io.stdout()).toMatch(/^BROKEN\s+api\s+answered 401/m);
  });
});
