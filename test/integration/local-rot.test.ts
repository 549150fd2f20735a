import { appendFileSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_LOCAL_CONFIG } from '../../functions/config';
import { startLocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { runCli } from '../support/serve-process';
import { stormWebhook } from '../support/storm-webhooks';

/*
 * The files of a data dir that has seen crashes and rot, read by the commands a user runs: `report --local` counts
 * exactly the good archive lines and says how many it skipped, `quarantine --local` lists around a torn line, and
 * the next start repairs torn last lines. The data dir's own path holds `event_type=delivered` and `[ab]`, which
 * must read as nothing but a path.
 */

/** A distinct event of the given Paubox name, an hour old, so that it falls in any report period. */
function webhook(i: number, eventName: string): string {
  const body = JSON.parse(stormWebhook(i)) as { event_name: string; payload: Record<string, unknown> };
  body.event_name = eventName;
  body.payload.time = new Date(Date.now() - 3_600_000 + i).toISOString();
  return JSON.stringify(body);
}

const SENT = { permanent_failure: 4, temporary_failure: 3, delivered: 5 } as const;

async function startRelay(dataDir: string) {
  return startLocalRelay({
    config: DEFAULT_LOCAL_CONFIG,
    token: 'rot-test-token',
    fingerprintKey: 'rot-test-key',
    logger: silentLogger,
    port: 0,
    dataDir,
    write: () => undefined,
    healthNotices: false,
  });
}

const archiveFiles = (dataDir: string): string[] => {
  const archive = join(dataDir, 'archive');
  return readdirSync(archive).flatMap((day) => readdirSync(join(archive, day)).map((f) => join(archive, day, f)));
};

describe('a data dir with rot, at an odd path', () => {
  const base = mkdtempSync(join(tmpdir(), 'relay-rot-'));
  const dataDir = join(base, 'event_type=delivered', '[ab]', 'data');
  const env = { RELAY_DATA_DIR: dataDir, RELAY_CONFIG: '' };
  afterAll(() => rmSync(base, { recursive: true, force: true }));

  beforeAll(async () => {
    const relay = await startRelay(dataDir);
    try {
      let i = 0;
      for (const [type, count] of Object.entries(SENT)) {
        for (let n = 0; n < count; n++) {
          const reply = await fetch(relay.webhookUrl, { method: 'POST', body: webhook(i++, `api_mail_log_${type}`) });
          expect(reply.status).toBe(202);
        }
      }
      const kept = await fetch(relay.webhookUrl, { method: 'POST', body: '{"hello":"not a Paubox event"}' });
      expect(((await kept.json()) as { status: string }).status).toBe('quarantined');
      await relay.idle();
    } finally {
      await relay.close();
    }
  }, 60_000);

  it('report --local counts exactly the good lines, says how many it skipped, and repairs nothing itself', async () => {
    const [file] = archiveFiles(dataDir);
    const good = readFileSync(file!, 'utf8').split('\n')[0]!;
    const rot = ['null', '[]', '42', '\u0000\u0000\u0000', `\ufeff${good}`, '{"key":"k-lone"}', '"text"'];
    const torn = good.slice(0, 50);
    appendFileSync(file!, `${rot.join('\n')}\n${torn}`);

    const report = await runCli(['report', '--local', '--json', '--since', '1d'], env, base);
    expect(report.code).toBe(0);
    const summary = JSON.parse(report.stdout) as Record<string, number>;
    expect([summary.permanent_failure, summary.temporary_failure, summary.delivered, summary.opened]).toEqual([
      SENT.permanent_failure,
      SENT.temporary_failure,
      SENT.delivered,
      0,
    ]);
    expect(report.stderr).toBe(
      `skipped ${rot.length + 1} unreadable lines in ${join(dataDir, 'archive')} (not counted)\n`,
    );
    // A reader changes nothing: the torn line is still there for the next start to repair.
    expect(readFileSync(file!, 'utf8').endsWith(torn)).toBe(true);
  }, 60_000);

  it('quarantine --local lists the webhook beside a torn line, and the next start repairs both files', async () => {
    const quarantine = join(dataDir, 'quarantine', 'webhooks.jsonl');
    const torn = '{"id":"q-torn","receivedAt":"2026-';
    appendFileSync(quarantine, torn);
    const listed = await runCli(['quarantine', '--local'], env, base);
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(
      /^1 webhook\(s\) in the quarantine\n\S+ q-[0-9a-f-]+ \(invalid_payload: event_name, \d+ bytes\)\n$/,
    );
    expect(listed.stderr).toBe(`skipped 1 unreadable line in ${quarantine}\n`);

    await (await startRelay(dataDir)).close();
    expect(readFileSync(`${quarantine}.torn`, 'utf8')).toBe(`${torn}\n`);
    expect(readFileSync(quarantine, 'utf8').endsWith('}\n')).toBe(true);
    const [file] = archiveFiles(dataDir).filter((f) => f.endsWith('.jsonl'));
    expect(readFileSync(file!, 'utf8').endsWith('\n')).toBe(true);
    expect(readFileSync(`${file}.torn`, 'utf8')).toMatch(/^\{"key":/);
    const after = await runCli(['quarantine', '--local'], env, base);
    expect([after.stdout.split('\n')[0], after.stderr]).toEqual(['1 webhook(s) in the quarantine', '']);
    const report = await runCli(['report', '--local', '--json', '--since', '1d'], env, base);
    expect(report.stderr).toBe(`skipped 7 unreadable lines in ${join(dataDir, 'archive')} (not counted)\n`);
    expect((JSON.parse(report.stdout) as Record<string, number>).delivered).toBe(SENT.delivered);
  }, 60_000);
});
