import type { HealthNotice } from '../../../functions/alerts';
import { checkDestinationUrl, renderSlackHealth, renderTeamsHealth } from '../../../functions/chat';
import { parseRelayConfig } from '../../../functions/config';
import { HealthMonitor } from '../../../functions/health';
import { startProbing } from '../../../functions/local/local-health';
import { teamsMessageProblems } from '../../support/adaptive-card';
import { captureLogger } from '../../support/capture-logger';
import { type FakeChatServer, startFakeChatServer, TEAMS_ACCEPTED } from '../../support/fake-chat-server';

/* The local probe schedule: silent probes of Slack, and the opt-in visible heartbeat to Teams. */

let slack: FakeChatServer;
let teams: FakeChatServer;
beforeAll(async () => {
  slack = await startFakeChatServer({ status: 404, body: 'no_service' });
  teams = await startFakeChatServer(TEAMS_ACCEPTED);
});
afterAll(async () => {
  await slack.close();
  await teams.close();
});

async function probeOnce(heartbeat: boolean) {
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops', kind: 'slack', url: slack.url },
        { name: 'care-team', kind: 'teams', url: teams.url },
      ],
      routes: [{ events: ['permanent_failure'], to: ['ops', 'care-team'] }],
      health: { heartbeat },
    },
    'local',
    checkDestinationUrl,
  );
  const posted: { notice: HealthNotice; targets: readonly string[] }[] = [];
  const logger = captureLogger();
  const monitor = new HealthMonitor({
    destinations: ['ops', 'care-team'],
    reminderMs: 4 * 3_600_000,
    settleMs: 0,
    post: (notice, targets) => posted.push({ notice, targets }),
    logger,
  });
  const stop = await startProbing(config, monitor, logger);
  stop();
  await new Promise((resolve) => setTimeout(resolve, 20));
  return { posted, logger };
}

describe('local probing', () => {
  it('with health.heartbeat, posts a visible heartbeat to each Teams destination, and to it alone', async () => {
    const teamsBefore = teams.received.length;
    const { posted } = await probeOnce(true);
    const heartbeats = posted.filter((p) => p.notice.state === 'heartbeat');
    expect(heartbeats.map((p) => [p.notice.subject, p.targets])).toEqual([['care-team', ['care-team']]]);
    // The probe itself never posts to Teams: the heartbeat goes through the fanout like any notice.
    expect(teams.received.length).toBe(teamsBefore);
    const card = renderTeamsHealth(heartbeats[0]!.notice);
    expect(teamsMessageProblems(card)).toEqual([]);
    const text = JSON.stringify(card);
    expect(text).toContain('Relay health: heartbeat');
    expect(text).not.toContain('attention');
    expect(text).toContain('care-team');
    expect(text).toContain('scheduled check');
    expect(text).toContain('\\"heartbeat\\": false');
    expect(renderSlackHealth(heartbeats[0]!.notice).text).toMatch(/^Relay health: heartbeat/);
    // The revoked Slack webhook is found too, and told to the other destination.
    expect(posted.find((p) => p.notice.state === 'problem')).toMatchObject({
      notice: { subject: 'ops', reason: 'no_service' },
      targets: ['care-team'],
    });
  });

  it('posts nothing visible to Teams without health.heartbeat', async () => {
    const { posted } = await probeOnce(false);
    expect(posted.filter((p) => p.notice.state === 'heartbeat')).toEqual([]);
  });
});
