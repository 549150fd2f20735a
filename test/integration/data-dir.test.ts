import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { JOURNAL_FILE } from '../../functions/local';
import { archiveEvent } from '../support/archive';
import { postWebhooks } from '../support/post-webhooks';
import { startRateLimitedChatServer } from '../support/rate-limited-chat-server';
import { captured, runCli, serve, startServe, waitFor } from '../support/serve-process';
import { startSilentServer } from '../support/silent-server';
import { stormWebhook } from '../support/storm-webhooks';

/*
 * The data dir as a user meets it, in real processes: one relay writes there at a time (a second one refuses,
 * naming the first), the read-only commands work beside it, and a journal with lines it cannot read still starts.
 */

const configFor = (url: string) => ({
  destinations: [{ name: 'ops', kind: 'slack', url, digest: { batchSize: 1 }, rateLimit: { messagesPerSecond: 50 } }],
  routes: [{ events: ['permanent_failure'], to: ['ops'] }],
});

describe('a data dir', () => {
  const dirs: string[] = [];
  const children: ChildProcessWithoutNullStreams[] = [];
  const closers: (() => Promise<void>)[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-data-dir-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all(closers.map((close) => close()));
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  it('has one writer: a second relay refuses naming the first, and nothing the first accepted is lost', async () => {
    const dir = tempDir();
    const hanging = await startSilentServer();
    closers.push(hanging.close);
    const first = await serve({ dir, config: configFor(hanging.url) });
    children.push(first.child);

    const second = startServe({ dir, config: configFor(hanging.url) });
    children.push(second);
    const refused = captured(second);
    expect(await refused.exited).toBe(1);
    expect(refused.errors()).toContain(`is in use by another relay (pid ${first.child.pid})`);
    expect(refused.errors()).toContain('RELAY_DATA_DIR=<another folder> npm start');

    // Accepted while Slack hangs; the read-only commands work while the relay runs, and take no lock.
    const bodies = Array.from({ length: 5 }, (_, i) => stormWebhook(i));
    expect(await postWebhooks(first.webhookUrl, bodies, 5)).toEqual([202, 202, 202, 202, 202]);
    const env = { RELAY_DATA_DIR: join(dir, 'data'), RELAY_CONFIG: '' };
    const listed = await runCli(['quarantine', '--local'], env, dir);
    expect([listed.code, listed.stdout]).toEqual([0, '0 webhook(s) in the quarantine\n']);
    const letters = await runCli(['dead-letters', '--local'], env, dir);
    expect(letters.code).toBe(0);

    first.child.kill('SIGKILL');
    await first.exited;
    const slack = await startRateLimitedChatServer({ platform: 'slack', intervalMs: 0 });
    closers.push(slack.close);
    // The lock of the killed relay is stale: taken over.
    const third = await serve({ dir, config: configFor(slack.url) });
    children.push(third.child);
    await waitFor(() => slack.eventsShown() >= 5, 20_000);
    third.child.kill('SIGINT');
    expect(await third.exited).toBe(0);
    expect(slack.eventsShown()).toBe(5);
  }, 90_000);

  it('starts on a journal with null, [], 42, NUL and torn lines: skips and counts them, posts the good ones', async () => {
    const dir = tempDir();
    const data = join(dir, 'data');
    mkdirSync(data);
    const journal = join(data, JOURNAL_FILE);
    const accepted = (n: number) =>
      JSON.stringify({
        t: 'accepted',
        event: archiveEvent(n, 'permanent_failure', '2026-11-20T14:00:00.000Z'),
        to: ['ops'],
      });
    const bad = ['null', '[]', '42', `${accepted(9).slice(0, 40)}`, '\u0000\u0000\u0000\u0000'];
    const torn = accepted(8).slice(0, 30);
    writeFileSync(journal, `${accepted(1)}\n${bad.join('\n')}\n${accepted(2)}\n${torn}`);
    const slack = await startRateLimitedChatServer({ platform: 'slack', intervalMs: 0 });
    closers.push(slack.close);

    const relay = await serve({ dir, config: configFor(slack.url) });
    children.push(relay.child);
    await waitFor(() => slack.eventsShown() >= 2, 20_000);
    relay.child.kill('SIGINT');
    expect(await relay.exited).toBe(0);
    expect(relay.output()).toContain('2 alerts from the last run pending');
    const said = relay.errors();
    expect(said).toContain(`skipped 5 unreadable lines in ${journal}`);
    expect(said.match(/skipped \d+ unreadable/g)).toHaveLength(1);
    expect(said).toContain(`repaired a torn last line in ${journal}`);
    expect(readFileSync(`${journal}.torn`, 'utf8')).toBe(`${torn}\n`);
    expect(readFileSync(`${journal}.unreadable`, 'utf8')).toBe(`${bad.join('\n')}\n`);
    expect(slack.eventsShown()).toBe(2);
  }, 60_000);
});
