import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../functions/cli';
import { endChild } from '../support/child-process';
import { captureIo } from '../support/deployed-stack';
import { startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';

/** The CLI as a user runs it: `npx paubox-relay …` runs this bin, which runs the TypeScript through tsx. */
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'paubox-relay.js');
const COMMANDS = [
  'init',
  'serve',
  'send-sample',
  'validate-config',
  'webhook-url',
  'set-destination',
  'test-destination',
  'dead-letters',
  'redrive',
  'report',
  'verify',
];

function start(args: string[], env: NodeJS.ProcessEnv = {}, cwd: string = ROOT): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
}

interface Run {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

async function run(args: string[], env: NodeJS.ProcessEnv = {}, cwd: string = ROOT): Promise<Run> {
  const child = start(args, env, cwd);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** Waits until `text()` matches, or fails with what was printed. */
async function waitFor(
  child: ChildProcessWithoutNullStreams,
  text: () => string,
  pattern: RegExp,
  ms = 20_000,
): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}:\n${text()}`)), ms);
    const check = (): void => {
      const match = pattern.exec(text());
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout.on('data', check);
    child.stderr.on('data', check);
    check();
  });
}

const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

describe('paubox-relay CLI', () => {
  it('--help lists every command, and each command has its own --help', async () => {
    const help = await run(['--help']);
    expect(help.code).toBe(0);
    for (const command of COMMANDS) expect(help.stdout).toMatch(new RegExp(`^  ${command} +\\S`, 'm'));
    // One process proves the bin; each command's help is the same code in process, without a tsx start each.
    for (const command of COMMANDS) {
      const own = captureIo();
      await expect(runCli([command, '--help'], own)).resolves.toBe(0);
      expect(own.stdout()).toContain(`usage: npx paubox-relay ${command}`);
    }
  }, 60_000);

  it('exits 2 with the usage on a wrong command line', async () => {
    const none = await run([]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('usage: npx paubox-relay <command>');
    const unknown = await run(['deploy']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('unknown command "deploy"');
    const option = await run(['webhook-url', '--stak', 'x']);
    expect(option.code).toBe(2);
    expect(option.stderr.split('\n')[0]).toBe(
      'paubox-relay webhook-url: unknown option --stak; did you mean "--stack"?',
    );
    expect(option.stderr).toContain('usage: npx paubox-relay webhook-url');
    const sample = await run(['send-sample', 'bounce']);
    expect(sample.code).toBe(2);
    expect(sample.stderr).toContain('unknown sample "bounce"; choose one of permanent_failure');
  }, 30_000);

  describe('serve and send-sample', () => {
    let relay: ChildProcessWithoutNullStreams | undefined;
    let slack: FakeChatServer | undefined;

    afterEach(async () => {
      await endChild(relay);
      relay = undefined;
      await slack?.close();
      slack = undefined;
    });

    it('serves the built-in console destination and prints the alert for a posted sample', async () => {
      // A directory with no relay.config.json: the built-in console destination is used.
      const cwd = tempDir('relay-serve-');
      const child = start(['serve', '--port', '0'], { RELAY_CONFIG: '' }, cwd);
      relay = child;
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const [, webhookUrl] = await waitFor(
        child,
        () => out,
        /Webhook URL: (http:\/\/127\.0\.0\.1:\d+\/paubox\/local-development-token)/,
      );
      expect((await fetch(new URL('/health', webhookUrl))).status).toBe(200);

      const sample = await run(['send-sample', 'permanent_failure', '--url', webhookUrl!]);
      expect(sample.code).toBe(0);
      expect(sample.stdout).toMatch(/^202 \{"status":"accepted","id":"[0-9a-f]{32}"\}/);
      await waitFor(child, () => out, /Message failed to send/, 5_000);
      expect(out).not.toContain('jordan.lee@patients.example.org');
    }, 60_000);

    it('posts to a Slack destination from --config, and stops cleanly on SIGTERM', async () => {
      slack = await startFakeChatServer({ status: 200, body: 'ok' });
      const cwd = tempDir('relay-serve-slack-');
      writeFileSync(
        join(cwd, 'local.json'),
        JSON.stringify({
          destinations: [{ name: 'ops', kind: 'slack', url: slack.url }],
          routes: [{ events: ['temporary_failure'], to: ['ops'] }],
        }),
      );
      const child = start(['serve', '--port', '0', '--config', 'local.json'], { RELAY_TOKEN: 'cli-test-token' }, cwd);
      relay = child;
      let out = '';
      child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString()));
      const [, webhookUrl] = await waitFor(child, () => out, /Webhook URL: (\S+)/);
      expect(out).toContain('ops (slack, detail minimal) <- temporary_failure');

      const sample = await run(['send-sample', 'temporary_failure', '--url', webhookUrl!]);
      expect(sample.code).toBe(0);
      await waitFor(child, () => out, /posted alert/, 10_000);
      // `serve` probes the webhook at start with `{}`, which Slack refuses without posting; then the one alert.
      const alerts = slack.received.filter((r) => r.raw !== '{}');
      expect(slack.received.filter((r) => r.raw === '{}')).toHaveLength(1);
      expect(alerts).toHaveLength(1);
      const posted = alerts[0]!.json as { text: string; blocks: unknown[] };
      expect(posted.text).toContain('Message not delivered yet: temporary failure');
      expect(alerts[0]!.raw).not.toContain('sam.rivera@inbox.example.net');

      child.kill('SIGTERM');
      const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
      relay = undefined;
      expect(code).toBe(0);
    }, 60_000);

    it('send-sample exits 1 when nothing listens, and says what to start', async () => {
      const sample = await run(['send-sample', 'opened', '--url', 'http://127.0.0.1:9/paubox/x']);
      expect(sample.code).toBe(1);
      expect(sample.stderr).toContain('could not reach 127.0.0.1:9');
      expect(sample.stderr).toContain('npx paubox-relay serve');
    }, 30_000);
  });

  describe('validate-config', () => {
    it('accepts a deployable configuration and shows what it deploys and where alarms go', async () => {
      const cwd = tempDir('relay-validate-');
      writeFileSync(
        join(cwd, 'relay.config.json'),
        JSON.stringify({
          destinations: [
            { name: 'ops', kind: 'slack', detail: 'recipient' },
            { name: 'care-team' },
            { name: 'terminal', kind: 'console' },
          ],
          routes: [
            { events: ['permanent_failure', 'temporary_failure'], to: ['ops', 'terminal'] },
            { events: ['permanent_failure'], to: ['care-team'] },
          ],
          alarms: { email: 'oncall@clinic.example.com', endToEndDelaySeconds: 120 },
        }),
      );
      const result = await run(['validate-config'], {}, cwd);
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('is valid for deploying.');
      expect(result.stdout).toContain('  ops: slack, detail recipient <- permanent_failure, temporary_failure');
      expect(result.stdout).toContain(
        '  care-team: slack or teams, from the stored URL, detail minimal <- permanent_failure',
      );
      expect(result.stdout).toContain('  terminal: console, detail minimal (console: local relay only, not deployed)');
      expect(result.stdout).toContain(
        'Alarms: notify e-mail oncall@clinic.example.com; end-to-end delay alarm above 120 s',
      );
    }, 30_000);

    it('lists every problem, with the field and what to change, and exits 1', async () => {
      const cwd = tempDir('relay-validate-bad-');
      writeFileSync(
        join(cwd, 'bad.json'),
        JSON.stringify({
          destinations: [{ name: 'ops', url: 'https://hooks.slack.com/services/T0/B0/SECRETPART' }],
          routes: [{ events: ['permanent_failure'], to: ['ops', 'pager'] }],
          alarms: { topicArn: 'pager' },
        }),
      );
      const result = await run(['validate-config', 'bad.json'], {}, cwd);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('bad.json: destinations[0].url: inline URLs are refused when deploying');
      expect(result.stderr).toContain('routes[0].to[1]: no destination is named "pager"');
      expect(result.stderr).toContain('alarms.topicArn: expected an SNS topic ARN');
      expect(result.stderr).not.toContain('SECRETPART');
      // The same file is fine for the local relay, but for the unknown route target and the topic.
      const local = await run(['validate-config', 'bad.json', '--local'], {}, cwd);
      expect(local.code).toBe(1);
      expect(local.stderr).not.toContain('inline URLs are refused');
    }, 30_000);

    it('describes the built-in default when there is no configuration file, and exits 0', async () => {
      const result = await run(['validate-config'], {}, tempDir('relay-validate-none-'));
      expect(result.code).toBe(0);
      expect(result.stdout).toMatch(
        /^No relay\.config\.json in .*: deploying uses the built-in default \(write one: npx paubox-relay init\)\.$/m,
      );
      expect(result.stdout).toContain(
        '  alerts: slack or teams, from the stored URL, detail minimal <- permanent_failure, temporary_failure',
      );
      expect(result.stderr).toBe('');
    }, 30_000);
  });

  it('dead-letters --local counts the local dead letters by reason without showing their bodies', async () => {
    const dataDir = tempDir('relay-data-');
    mkdirSync(join(dataDir, 'dead-letters'));
    const letter = (reason: string, key: string) =>
      JSON.stringify({
        destination: 'ops',
        eventKey: key,
        eventType: 'permanent_failure',
        reason,
        failedAt: '2026-01-02T03:04:05.000Z',
        body: '{"recipients":["jordan.lee@patients.example.org"]}',
      });
    writeFileSync(
      join(dataDir, 'dead-letters', 'ops.jsonl'),
      `${letter('no_service', 'k1')}\n${letter('no_service', 'k2')}\n${letter('invalid_payload', 'k3')}\n`,
    );
    const result = await run(['dead-letters', '--local', 'ops'], { RELAY_DATA_DIR: dataDir });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('ops: 3 dead letter(s)');
    expect(result.stdout).toContain('  no_service: 2');
    expect(result.stdout).toContain('  invalid_payload: 1');
    expect(result.stdout).toContain('2026-01-02T03:04:05.000Z permanent_failure key k3 (invalid_payload)');
    expect(result.stdout).not.toContain('jordan.lee');
    const none = await run(['dead-letters', '--local', 'care-team'], { RELAY_DATA_DIR: dataDir });
    expect(none.stdout).toContain('no dead letters for care-team');
  }, 30_000);
});
