import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, openSync, closeSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleBody } from '../../functions/local';

/** A newcomer's first commands, run as typed: `npm start` with the deploy example, then `cdk synth` of a typo. */
const ROOT = join(__dirname, '..', '..');
const tempDir = (prefix: string) => mkdtempSync(join(tmpdir(), prefix));

async function until<T>(what: string, read: () => T | undefined, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the first hour', () => {
  it('npm start runs the deploy example, previews its chat destinations, logs what happened in order, stops on kill', async () => {
    const dir = tempDir('relay-first-hour-');
    copyFileSync(join(ROOT, 'relay.config.example.json'), join(dir, 'relay.config.json'));
    const errFile = join(dir, 'err.txt');
    const errFd = openSync(errFile, 'w');
    const npm = spawn('npm', ['start', '--silent', '--', '--port', '0'], {
      cwd: ROOT,
      env: { ...process.env, RELAY_CONFIG: join(dir, 'relay.config.json'), RELAY_DATA_DIR: join(dir, 'data') },
      stdio: ['ignore', 'pipe', errFd],
      // Its own process group, so that a failing test can stop the relay too, not only npm.
      detached: true,
    });
    closeSync(errFd);
    let out = '';
    npm.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const closed = new Promise<number | null>((resolve) => npm.on('close', resolve));
    try {
      const webhookUrl = await until('the webhook URL', () => /Webhook URL: (\S+)/.exec(out)?.[1]);
      for (const sample of ['permanent_failure', 'temporary_failure', 'permanent_failure'] as const) {
        const reply = await fetch(webhookUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: sampleBody(sample, false),
        });
        expect(reply.status).toBe(202);
      }
      // A burst of wrong tokens, as a scanner would send: one log line tells of it, not one per request.
      const wrong = webhookUrl.replace(/[^/]+$/, 'not-the-token');
      for (let i = 0; i < 20; i++) {
        const refused = await fetch(wrong, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        });
        expect(refused.status).toBe(401);
      }
      // terminal and ops get all three, care-team the two permanent failures.
      // The log (stderr) and the previews (stdout) are two pipes: wait until both have all eight.
      const alertLine = / (previewed|printed|posted) alert /;
      const errText = await until('eight alerts, logged and previewed', () => {
        const text = readFileSync(errFile, 'utf8');
        const previews = out.split('\npreview, not posted to').length - 1 + (out.split('→ terminal (').length - 1);
        return text.split('\n').filter((l) => alertLine.test(l)).length === 8 && previews >= 8 ? text : undefined;
      });
      const lines = errText.split('\n');
      expect(lines.pop()).toBe('');
      // One record per line, each starting with its time.
      for (const line of lines)
        expect(line).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z (debug|info|warn|error) {1,2}[a-z]/);
      const times = lines.map((l) => Date.parse(l.slice(0, 24)));
      expect(times).toEqual([...times].sort((a, b) => a - b));
      const body = (l: string) => l.slice(25);
      expect(lines.filter((l) => l.includes('accepted event'))).toHaveLength(3);
      // What really happened: the URL-less chat destinations were previewed, the console printed; nothing posted.
      expect(lines.filter((l) => / posted /.test(l))).toEqual([]);
      expect(lines.filter((l) => l.includes('previewed alert destination=ops '))).toHaveLength(3);
      expect(lines.filter((l) => l.includes('previewed alert destination=care-team '))).toHaveLength(2);
      expect(lines.filter((l) => l.includes('printed alert destination=terminal '))).toHaveLength(3);
      // Each event is accepted before any outcome of it.
      for (const [index, line] of lines.entries()) {
        const key = / eventKey=(\w+)/.exec(line)?.[1];
        if (!key || line.includes('accepted event')) continue;
        const accepted = lines.findIndex((l) => l.includes('accepted event') && l.includes(`eventKey=${key}`));
        expect({ line, accepted: accepted >= 0 && accepted < index }).toEqual({ line, accepted: true });
      }
      // Only lines that say something: no probe verdict for destinations the warning already covers.
      expect(lines.filter((l) => l.includes('destination probe'))).toEqual([]);
      expect(lines.filter((l) => / 401\b|status=401/.test(l))).toHaveLength(1);
      expect(lines.filter((l) => body(l).startsWith('warn')).filter((l) => !/401/.test(l))).toEqual([
        expect.stringMatching(/ warn {2}no "url" for ops, care-team: their alerts are previewed on this console/),
      ]);
      expect(out).toContain('  ops (preview on this console, detail minimal) <- permanent_failure, temporary_failure');
      expect(out.split('\npreview, not posted to slack: [')).toHaveLength(4);
      expect(out.split('\npreview, not posted to slack or teams: [')).toHaveLength(3);
      expect(out.split('→ terminal (')).toHaveLength(4);

      // The signal reaches the relay through npm: it stops and its port closes.
      npm.kill('SIGTERM');
      await closed;
      await expect(fetch(new URL('/health', webhookUrl))).rejects.toThrow();
    } finally {
      try {
        process.kill(-npm.pid!, 'SIGKILL');
      } catch {
        // Already gone.
      }
    }
  }, 60_000);

  it('cdk synth of a config with a typo and an unknown destination prints both problems once, no stack trace', async () => {
    const dir = tempDir('relay-first-hour-synth-');
    const file = join(dir, 'relay.config.json');
    writeFileSync(
      file,
      JSON.stringify({
        destinations: [{ name: 'ops', kind: 'slack', detial: 'full' }],
        routes: [{ events: ['permanent_failure'], to: ['ops', 'pager'] }],
      }),
    );
    // What `cdk synth -c config=…` runs (cdk.json's app), with the context the CLI passes.
    const app = spawn(process.execPath, ['--require', 'tsx/cjs', 'bin/app.ts'], {
      cwd: ROOT,
      env: { ...process.env, CDK_CONTEXT_JSON: JSON.stringify({ config: file }), CDK_OUTDIR: join(dir, 'cdk.out') },
    });
    let stderr = '';
    app.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const code = await new Promise<number | null>((resolve) => app.on('close', resolve));
    expect(code).toBe(1);
    expect(stderr).toBe(
      'invalid relay configuration:\n' +
        `  - ${file}: destinations[0]: unknown key "detial"; did you mean "detail"?\n` +
        `  - ${file}: routes[0].to[1]: no destination is named "pager" (defined: ops)\n` +
        `(configuration read from context config=${file}; fix it there, or name another file with -c config=...)\n`,
    );
  }, 60_000);
});
