import { parseRelayConfig } from '../../functions/config';
import { checkDestinationUrl } from '../../functions/chat';
import { silentLogger } from '../../functions/observability';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { teamsMessageProblems } from '../support/adaptive-card';
import { startRateLimitedChatServer, type RateLimitedChatServer } from '../support/rate-limited-chat-server';
import { stormWebhook } from '../support/storm-webhooks';

/*
 * The local relay against Slack and Teams fakes on 127.0.0.1 that refuse (429) a post less than a second after
 * the previous one: a burst of webhooks must reach the channel paced, with no 429, and, with a batching window,
 * as a few digests whose counts add up to the events sent.
 */

const TOKEN = 'storm-test-token';
const webhook = stormWebhook;

const gaps = (server: RateLimitedChatServer): number[] =>
  server.accepted.slice(1).map((p, i) => p.at - server.accepted[i]!.at);

async function relayFor(destinations: Record<string, unknown>[]): Promise<LocalRelay> {
  const config = parseRelayConfig(
    {
      destinations,
      routes: [{ events: ['permanent_failure', 'temporary_failure'], to: destinations.map((d) => d.name) }],
    },
    'local',
    checkDestinationUrl,
  );
  return startLocalRelay({ config, token: TOKEN, fingerprintKey: 'k', logger: silentLogger, port: 0 });
}

async function send(relay: LocalRelay, bodies: string[]): Promise<number[]> {
  return Promise.all(
    bodies.map(async (body) => {
      const response = await fetch(relay.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
      });
      await response.arrayBuffer();
      return response.status;
    }),
  );
}

describe('storm control in the local relay', () => {
  let relay: LocalRelay | undefined;
  const servers: RateLimitedChatServer[] = [];
  afterEach(async () => {
    await relay?.close();
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });

  it('paces posts to one a second by default, so Slack never answers 429', async () => {
    const slack = await startRateLimitedChatServer({ platform: 'slack' });
    servers.push(slack);
    // No window and batches of one: every event is its own post, as fast as the rate limit allows.
    relay = await relayFor([{ name: 'ops', kind: 'slack', url: slack.url, digest: { batchSize: 1 } }]);
    expect(
      await send(
        relay,
        [0, 1, 2, 3].map((i) => webhook(i)),
      ),
    ).toEqual([202, 202, 202, 202]);
    await relay.idle();
    expect(slack.rejected).toEqual([]);
    expect(slack.accepted).toHaveLength(4);
    for (const gap of gaps(slack)) expect(gap).toBeGreaterThanOrEqual(1000);
  }, 15_000);

  it('turns a burst into a few digests per destination; their counts add up to the events sent', async () => {
    const [slack, teams] = await Promise.all([
      startRateLimitedChatServer({ platform: 'slack' }),
      startRateLimitedChatServer({ platform: 'teams' }),
    ]);
    servers.push(slack, teams);
    relay = await relayFor([
      { name: 'ops', kind: 'slack', url: slack.url, digest: { windowSeconds: 1 } },
      { name: 'care', kind: 'teams', url: teams.url, detail: 'recipient', digest: { windowSeconds: 1 } },
    ]);
    const bodies = Array.from({ length: 120 }, (_, i) =>
      webhook(i, i % 3 === 0 ? 'billing.example.com' : 'mail.clinic.example.com', i % 4 === 0),
    );
    // The same webhook twice: shown once.
    bodies.push(webhook(5, 'mail.clinic.example.com', false));
    const statuses = await send(relay, bodies);
    expect(statuses.every((s) => s === 202)).toBe(true);
    await relay.idle();

    for (const server of [slack, teams]) {
      expect(server.rejected).toEqual([]);
      expect(server.eventsShown()).toBe(120);
      // Two sender domains: two digests if the burst fell in one window, a few more if it spanned two.
      expect(server.accepted.length).toBeGreaterThanOrEqual(2);
      expect(server.accepted.length).toBeLessThanOrEqual(6);
      expect(server.accepted.some((p) => p.digest)).toBe(true);
      for (const gap of gaps(server)) expect(gap).toBeGreaterThanOrEqual(1000);
    }
    for (const post of teams.accepted) expect(teamsMessageProblems(post.body)).toEqual([]);
    const slackTexts = slack.accepted.map((p) => JSON.stringify(p.body));
    // Minimal detail: domains and fingerprints' count, never an address or subject.
    for (const text of slackTexts) {
      expect(text).not.toMatch(/patient\d+@/);
      expect(text).not.toContain('Your appointment');
    }
    // Recipient detail: the first recipient addresses are listed.
    expect(teams.accepted.map((p) => JSON.stringify(p.body)).join('')).toMatch(/patient\d+@patients\.example\.org/);
  }, 20_000);
});
