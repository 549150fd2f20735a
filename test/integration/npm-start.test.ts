import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The README's quick start, as a user runs it: start the relay, then send a sample. */
const ROOT = join(__dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function run(args: string[], env: NodeJS.ProcessEnv, cwd: string): ChildProcessWithoutNullStreams {
  return spawn(TSX, args, { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
}

describe('npm start and npm run send-sample', () => {
  let relay: ChildProcessWithoutNullStreams;
  let out = '';

  afterAll(() => {
    relay?.kill('SIGTERM');
  });

  it('starts the local relay, prints the webhook URL, and prints an alert for a posted permanent failure', async () => {
    // A directory with no relay.config.json: the built-in console destination is used.
    const cwd = mkdtempSync(join(tmpdir(), 'relay-start-'));
    relay = run([join(ROOT, 'bin', 'local-relay.ts')], { PORT: '0', RELAY_CONFIG: '' }, cwd);
    relay.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const webhookUrl = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no webhook URL printed:\n${out}`)), 20_000);
      relay.stdout.on('data', () => {
        const match = /Webhook URL: (http:\/\/127\.0\.0\.1:\d+\/paubox\/local-development-token)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    expect((await fetch(new URL('/health', webhookUrl))).status).toBe(200);

    const sample = run([join(ROOT, 'bin', 'send-sample.ts'), 'permanent_failure', '--url', webhookUrl], {}, ROOT);
    let sampleOut = '';
    sample.stdout.on('data', (chunk: Buffer) => (sampleOut += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => sample.on('close', resolve));
    expect(code).toBe(0);
    expect(sampleOut).toMatch(/^202 \{"status":"accepted","id":"[0-9a-f]{32}"\}/);

    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no alert printed:\n${out}`)), 5_000);
      const check = (): void => {
        if (out.includes('Message failed to send')) {
          clearTimeout(timer);
          resolve();
        }
      };
      relay.stdout.on('data', check);
      check();
    });
    expect(out).not.toContain('jordan.lee@patients.example.org');
  });
});
