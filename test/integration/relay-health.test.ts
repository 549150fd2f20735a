import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEALTH_PREFIX } from '../../functions/alerts';
import { checkDestinationUrl, type TeamsMessage } from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED, type FakeChatServer } from '../support/fake-chat-server';
import { teamsCardTexts, unescapeTeams } from '../support/markup';

/*
 * A revoked Slack webhook (404 no_service) among a healthy Slack and a healthy Teams destination: a burst of
 * failures is dead-lettered for the broken one, and one health notice per healthy destination says so.
 */

const TOKEN = 'relay-health-test-token';
const BURST = 12;
const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'paubox', 'permanent_failure.json'), 'utf8'),
) as { payload: Record<string, unknown> };

let broken: FakeChatServer;
let slack: FakeChatServer;
let teams: FakeChatServer;
let relay: LocalRelay;
let dataDir: string;

beforeAll(async () => {
  [broken, slack, teams] = await Promise.all([
    startFakeChatServer({ status: 404, body: 'no_service' }, '/services/T1/B1/revoked'),
    startFakeChatServer(SLACK_OK, '/services/T1/B2/live'),
    startFakeChatServer(TEAMS_ACCEPTED, '/workflows/teams'),
  ]);
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'slack-broken', kind: 'slack', url: broken.url },
        { name: 'slack-ops', kind: 'slack', url: slack.url, rateLimit: { messagesPerSecond: 1000 } },
        { name: 'teams-ops', kind: 'teams', url: teams.url, rateLimit: { messagesPerSecond: 1000 } },
      ],
      routes: [
        { events: ['permanent_failure'], to: ['slack-broken'] },
        { events: ['delivered'], to: ['slack-ops', 'teams-ops'] },
      ],
    },
    'local',
    checkDestinationUrl,
  );
  dataDir = mkdtempSync(join(tmpdir(), 'relay-health-'));
  relay = await startLocalRelay({
    config,
    token: TOKEN,
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    dataDir,
    healthSettleMs: 500,
  });
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([broken, slack, teams].map((s) => s?.close()));
});

const post = (id: number) =>
  fetch(relay.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ ...fixture, payload: { ...fixture.payload, id } }),
  });

async function until(check: () => boolean, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('local relay health', () => {
  it('dead-letters every event for a revoked webhook and tells each healthy destination once', async () => {
    const started = Date.now();
    const answers = await Promise.all(Array.from({ length: BURST }, (_, i) => post(1000 + i)));
    expect(answers.map((a) => a.status)).toEqual(Array(BURST).fill(202));
    await until(() => slack.received.length > 0 && teams.received.length > 0, 5000);
    expect(Date.now() - started).toBeLessThan(4000);
    await relay.idle();
    // A little longer: a second notice, if any were sent, would arrive now.
    await new Promise((resolve) => setTimeout(resolve, 700));
    await relay.idle();

    const letters = readFileSync(join(dataDir, 'dead-letters', 'slack-broken.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(letters).toHaveLength(BURST);
    expect(letters.every((line) => (JSON.parse(line) as { reason: string }).reason === 'no_service')).toBe(true);

    expect(slack.received).toHaveLength(1);
    const slackBody = slack.received[0]!.json as { text: string; blocks: unknown[] };
    expect(slackBody.text.startsWith(HEALTH_PREFIX)).toBe(true);
    const slackText = `${slackBody.text}\n${JSON.stringify(slackBody.blocks)}`;

    expect(teams.received).toHaveLength(1);
    const teamsTexts = teamsCardTexts(teams.received[0]!.json as TeamsMessage).map(unescapeTeams);
    expect(teamsTexts[0]!.startsWith(HEALTH_PREFIX)).toBe(true);

    for (const text of [slackText, teamsTexts.join('\n')]) {
      expect(text).toContain('slack-broken');
      expect(text).toContain('no_service');
      expect(text).toContain('npx paubox-relay set-destination slack-broken <url>');
      expect(text).toContain('npx paubox-relay redrive slack-broken');
      expect(text).not.toContain('patients.example.org');
    }
    // The broken channel is never asked to report itself.
    expect(broken.received.every((r) => !JSON.stringify(r.json).includes(HEALTH_PREFIX))).toBe(true);
  });
});
