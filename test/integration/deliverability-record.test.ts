import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleBody, type SampleName, startLocalRelay } from '../../functions/local';
import { DEFAULT_LOCAL_CONFIG } from '../../functions/config';
import { silentLogger } from '../../functions/observability';
import { SLACK_OK, startFakeChatServer } from '../support/fake-chat-server';

/** The Done-when of the deliverability record, as a user runs it: the local relay, then `npx paubox-relay report`. */
const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'bin', 'paubox-relay.js');
const FIXTURES = join(__dirname, '..', 'fixtures', 'paubox');

async function cli(args: string[], env: NodeJS.ProcessEnv, cwd: string) {
  const child = spawn(process.execPath, [BIN, ...args], { cwd, env: { ...process.env, ...env }, stdio: 'pipe' });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  return { code, stdout, stderr };
}

/** Every recipient address and subject of the fixtures, which no archived line may hold at the default detail. */
function fixturePhi(): string[] {
  return readdirSync(FIXTURES)
    .filter((f) => f.endsWith('.json'))
    .flatMap((f) => {
      const { payload } = JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as { payload: Record<string, unknown> };
      return [payload.to, payload.subject, ...((payload.recipients as string[] | undefined) ?? [])].filter(
        (v): v is string => typeof v === 'string',
      );
    });
}

describe('deliverability record, locally', () => {
  const cwd = mkdtempSync(join(tmpdir(), 'relay-record-'));
  const dataDir = join(cwd, 'data');
  const env = { RELAY_DATA_DIR: dataDir, RELAY_CONFIG: '' };

  beforeAll(async () => {
    const relay = await startLocalRelay({
      config: DEFAULT_LOCAL_CONFIG,
      token: 'record-test-token',
      fingerprintKey: 'record-test-key',
      logger: silentLogger,
      port: 0,
      dataDir,
      write: () => undefined,
    });
    try {
      const sends: [SampleName, number][] = [
        ['delivered', 5],
        ['opened', 4],
        ['temporary_failure', 3],
        ['permanent_failure', 2],
      ];
      for (const [name, times] of sends) {
        for (let i = 0; i < times; i++) {
          const reply = await fetch(relay.webhookUrl, {
            method: 'POST',
            body: sampleBody(name, false),
            headers: { 'content-type': 'application/json' },
          });
          expect(reply.status).toBe(202);
        }
      }
      await relay.idle();
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('report --local --json prints exactly those counts, a bounce rate and the failing recipient domains', async () => {
    const result = await cli(['report', '--local', '--json'], env, cwd);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(summary).toMatchObject({
      delivered: 5,
      opened: 4,
      temporary_failure: 3,
      permanent_failure: 2,
      // 5 failures of 10 delivery outcomes.
      bounceRate: 0.5,
      hardBounceRate: 0.2,
      softBounceRate: 0.3,
      topFailingRecipientDomains: [
        { domain: 'inbox.example.net', count: 3 },
        { domain: 'patients.example.org', count: 2 },
      ],
      previous: { delivered: 0, opened: 0, temporary_failure: 0, permanent_failure: 0, bounceRate: null },
    });
  }, 60_000);

  it('keeps every event, of all four types, in day partitions, with no recipient address or subject', () => {
    const days = readdirSync(join(dataDir, 'archive'));
    expect(days.every((d) => /^dt=\d{4}-\d{2}-\d{2}$/.test(d))).toBe(true);
    const text = days
      .flatMap((d) =>
        readdirSync(join(dataDir, 'archive', d)).map((f) => readFileSync(join(dataDir, 'archive', d, f), 'utf8')),
      )
      .join('');
    const lines = text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { event_type: string; detail: string; recipient_domains: string[] });
    expect(lines).toHaveLength(14);
    expect(lines.every((l) => l.detail === 'minimal' && l.recipient_domains.length > 0)).toBe(true);
    const phi = fixturePhi();
    expect(phi.length).toBeGreaterThan(4);
    for (const value of phi) expect({ value, found: text.includes(value) }).toEqual({ value, found: false });
    expect(text).not.toMatch(/"(recipients|subject|custom_headers)"/);
  });

  it('report --local --post <name> delivers a summary card to that destination', async () => {
    const slack = await startFakeChatServer(SLACK_OK);
    try {
      writeFileSync(
        join(cwd, 'local.json'),
        JSON.stringify({
          destinations: [{ name: 'ops', kind: 'slack', url: slack.url }],
          routes: [{ events: ['permanent_failure'], to: ['ops'] }],
        }),
      );
      const result = await cli(['report', '--local', '--post', 'ops', '--config', 'local.json'], env, cwd);
      expect(result.stderr).toContain('Report posted to "ops"');
      expect(result.code).toBe(0);
      expect(result.stdout).toContain('Permanent failures: 2 (previous 0)');
      expect(slack.received).toHaveLength(1);
      const card = slack.received[0]!.json as { text: string; blocks: { type: string; fields?: { text: string }[] }[] };
      expect(card.text).toBe('Deliverability: last 7 days: 2 permanent and 3 temporary failures, bounce rate 50.0%');
      const fields = card.blocks.flatMap((b) => b.fields ?? []).map((f) => f.text);
      expect(fields).toEqual(
        expect.arrayContaining([
          '*Bounce rate*',
          '50.0% (previous n/a)',
          'inbox.example.net: 3\npatients.example.org: 2',
        ]),
      );
      for (const value of fixturePhi()) expect(slack.received[0]!.raw).not.toContain(value);
    } finally {
      await slack.close();
    }
  }, 60_000);

  it('report --post names an unknown destination: exits 2 with the names it knows', async () => {
    const result = await cli(['report', '--local', '--post', 'pager', '--config', 'local.json'], env, cwd);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no destination is named "pager"');
  }, 60_000);
});
