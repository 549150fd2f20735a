import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { endChild } from '../support/child-process';
import { postWebhooks } from '../support/post-webhooks';
import { startRateLimitedChatServer, type RateLimitedChatServer } from '../support/rate-limited-chat-server';
import { serve, waitFor } from '../support/serve-process';
import { stormWebhook } from '../support/storm-webhooks';

/*
 * The local relay as a user runs it (`node bin/paubox-relay.js serve`), stopped with SIGINT in the middle of a
 * storm: it exits within 5 s saying how many alerts are pending, and, started again, posts exactly those.
 */

const EVENTS = 200;

const configWith = (url: string, digest: Record<string, number>) => ({
  destinations: [{ name: 'ops', kind: 'slack', url, digest }],
  routes: [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops'] }],
});

describe('the local relay stopped with SIGINT during a storm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-durability-'));
  let slack: RateLimitedChatServer | undefined;
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(async () => {
    await Promise.all(children.map((child) => endChild(child)));
    await slack?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exits within 5 s keeping what it had not posted, and delivers exactly that at the next start', async () => {
    slack = await startRateLimitedChatServer({ platform: 'slack' });
    // One event a post at one post a second: the storm is far from posted when the relay is stopped.
    const first = await serve({ dir, config: configWith(slack.url, { batchSize: 1 }) });
    children.push(first.child);
    const bodies = Array.from({ length: EVENTS }, (_, i) => stormWebhook(i));
    const statuses = await postWebhooks(first.webhookUrl, bodies, 100);
    expect(statuses.filter((s) => s === 202)).toHaveLength(EVENTS);
    await waitFor(() => slack!.accepted.length >= 2, 10_000);

    const stopAt = Date.now();
    first.child.kill('SIGINT');
    expect(await first.exited).toBe(0);
    expect(Date.now() - stopAt).toBeLessThan(5000);
    const shownBefore = slack.eventsShown();
    const pending = Number(/Stopped\. (\d+) alerts? pending/.exec(first.output())?.[1]);
    expect(pending).toBe(EVENTS - shownBefore);
    expect(first.output()).toMatch(/they go out at the next start/);

    // Started again with the default batching: the rest goes out in a few digests.
    const second = await serve({ dir, config: configWith(slack.url, {}) });
    children.push(second.child);
    await waitFor(() => second.output().includes(`${pending} alerts from the last run pending`), 5000);
    await waitFor(() => slack!.eventsShown() >= EVENTS, 30_000);
    // A little longer: nothing more may arrive, so every event was shown exactly once.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(slack.eventsShown()).toBe(EVENTS);
    expect(slack.rejected).toEqual([]);
    const singleKeys = slack.accepted
      .filter((p) => !p.digest)
      .map((p) => JSON.stringify(p.body).match(/key (\w+)/)?.[1]);
    expect(new Set(singleKeys).size).toBe(singleKeys.length);

    second.child.kill('SIGINT');
    expect(await second.exited).toBe(0);
    expect(second.output()).toContain('No alert pending');
  }, 90_000);
});
