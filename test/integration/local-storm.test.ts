import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDestinationUrl } from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { postWebhooks } from '../support/post-webhooks';
import { startRateLimitedChatServer, type RateLimitedChatServer } from '../support/rate-limited-chat-server';
import { stormWebhook } from '../support/storm-webhooks';

/*
 * A 2,000-bounce storm through the local relay with its defaults (no batching window, journal on) against a fake
 * Slack that refuses (429) a second post within a second: every event is accepted, and the channel shows all of
 * them in a handful of digests whose counts add up, without a single 429. How soon is the bench's figure (`npm run
 * bench`, the storm's 30 s target), not this test's: a timed assert here would only measure the machine's load.
 */

const EVENTS = 2000;
const DOMAINS = ['mail.clinic.example.com', 'billing.example.com', 'news.example.org'];

describe('a 2,000-event storm through the local relay with its defaults', () => {
  let relay: LocalRelay | undefined;
  let slack: RateLimitedChatServer | undefined;
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-storm-'));
  afterAll(async () => {
    await relay?.close();
    await slack?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('accepts every webhook and shows every event in a handful of digests, counts conserved, no 429', async () => {
    slack = await startRateLimitedChatServer({ platform: 'slack' });
    const config = parseRelayConfig(
      {
        destinations: [{ name: 'ops', kind: 'slack', url: slack.url }],
        routes: [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops'] }],
      },
      'local',
      checkDestinationUrl,
    );
    relay = await startLocalRelay({
      config,
      token: 'local-storm-token',
      fingerprintKey: 'k',
      logger: silentLogger,
      port: 0,
      dataDir,
    });
    const bodies = Array.from({ length: EVENTS }, (_, i) => stormWebhook(i, DOMAINS[i % 3], i % 5 === 0));
    const statuses = await postWebhooks(relay.webhookUrl, bodies, 100);
    expect(statuses.filter((s) => s === 202)).toHaveLength(EVENTS);
    await relay.idle();

    expect(slack.rejected).toEqual([]);
    expect(slack.eventsShown()).toBe(EVENTS);
    // Everything pending goes in each post: a handful of digests, not one post per few events.
    expect(slack.accepted.length).toBeLessThanOrEqual(20);
    expect(relay.pendingAlerts()).toBe(0);
  }, 60_000);
});
