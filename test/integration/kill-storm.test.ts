import type { ChildProcessWithoutNullStreams } from 'node:child_process';
import { appendFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_IN_FLIGHT, MAX_SLOW_POSTS } from '../../functions/delivery';
import { postWebhooks } from '../support/post-webhooks';
import { startRateLimitedChatServer, type RateLimitedChatServer } from '../support/rate-limited-chat-server';
import { serve, waitFor } from '../support/serve-process';
import { stormWebhook } from '../support/storm-webhooks';

/*
 * `kill -9` during a storm, three times, then a last start: every event is shown on each destination, the counts
 * add up, and a restart repeats at most the posts that were on their way to each destination (a few may await their
 * reply at once: delivery's send gate), each saying it may be a repeat. Slack answers each post 40 ms after showing
 * it, so a post is often in flight when the relay dies.
 */

const STORM = 24;
const ROUNDS = 3;
const REPEAT_NOTE = 'may repeat an alert posted just before a restart';
const DESTINATIONS = ['ops', 'care'] as const;

const keyOf = (body: unknown): string => /key ([0-9a-f]+)/.exec(JSON.stringify(body))?.[1] ?? 'none';

describe('the local relay killed with SIGKILL during a storm', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-kill-'));
  const channels = new Map<string, RateLimitedChatServer>();
  const children: ChildProcessWithoutNullStreams[] = [];
  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await Promise.all([...channels.values()].map((c) => c.close()));
    rmSync(dir, { recursive: true, force: true });
  });

  it('shows every event, and each restart repeats at most the posts under way to a destination, marked', async () => {
    for (const name of DESTINATIONS) {
      channels.set(name, await startRateLimitedChatServer({ platform: 'slack', intervalMs: 0, replyDelayMs: 40 }));
    }
    const config = {
      destinations: DESTINATIONS.map((name) => ({
        name,
        kind: 'slack',
        url: channels.get(name)!.url,
        digest: { batchSize: 1 },
        rateLimit: { messagesPerSecond: 40 },
      })),
      routes: [{ events: ['permanent_failure'], to: [...DESTINATIONS] }],
    };
    const posts = () => DESTINATIONS.reduce((n, name) => n + channels.get(name)!.accepted.length, 0);
    const repeatsByRound: Record<string, number>[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const relay = await serve({ dir, config });
      children.push(relay.child);
      const before = posts();
      const bodies = Array.from({ length: STORM }, (_, i) => stormWebhook(round * STORM + i));
      expect(await postWebhooks(relay.webhookUrl, bodies, 8)).toEqual(bodies.map(() => 202));
      // Killed mid-storm: some posts shown, most not yet.
      await waitFor(() => posts() >= before + STORM / 2, 20_000);
      const shownAtKill = new Map(DESTINATIONS.map((name) => [name, channels.get(name)!.accepted.length]));
      relay.child.kill('SIGKILL');
      await relay.exited;
      repeatsByRound.push(Object.fromEntries(shownAtKill));
    }
    const last = await serve({ dir, config });
    children.push(last.child);
    for (const name of DESTINATIONS) {
      await waitFor(
        () => new Set(channels.get(name)!.accepted.map((p) => keyOf(p.body))).size >= ROUNDS * STORM,
        30_000,
      );
    }
    // A little longer: nothing more may arrive.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    last.child.kill('SIGINT');
    expect(await last.exited).toBe(0);
    expect(last.output()).toContain('No alert pending');

    const summary: string[] = [];
    for (const name of DESTINATIONS) {
      const accepted = channels.get(name)!.accepted;
      const keys = accepted.map((p) => keyOf(p.body));
      // Every event shown; each post is one event shown once, or a repeat.
      expect(new Set(keys).size).toBe(ROUNDS * STORM);
      const repeats = keys.filter((key, i) => keys.indexOf(key) !== i);
      expect(accepted.length).toBe(ROUNDS * STORM + repeats.length);
      // Each repeat comes right after a restart, says it may be one, and there is at most one per restart.
      const perRestart = repeatsByRound.map((round, i) => {
        const killedAt = round[name]!;
        const nextKill = repeatsByRound[i + 1]?.[name] ?? accepted.length;
        // A post on its way at the kill may land just after it was counted: a repeat is any key shown before.
        const again = accepted.slice(killedAt, nextKill).filter((p, j) => keys.indexOf(keyOf(p.body)) < killedAt + j);
        for (const post of again) expect(JSON.stringify(post.body)).toContain(REPEAT_NOTE);
        return again.length;
      });
      for (const count of perRestart) expect(count).toBeLessThanOrEqual(MAX_IN_FLIGHT + MAX_SLOW_POSTS);
      expect(perRestart.reduce((a, b) => a + b, 0)).toBe(repeats.length);
      summary.push(`${name}: ${perRestart.join(', ')}`);
    }
    // Repeats after each of the three restarts, per destination: written where KILL_STORM_FIGURES names, if set.
    const figures = process.env.KILL_STORM_FIGURES;
    if (figures) appendFileSync(figures, `${summary.join('; ')}\n`);
  }, 150_000);
});
