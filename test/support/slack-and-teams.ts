import { checkDestinationUrl } from '../../functions/chat';
import { parseRelayConfig, type RelayConfig } from '../../functions/config';
import type { EventType } from '../../functions/paubox';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED, type FakeChatServer } from './fake-chat-server';

export interface SlackAndTeams {
  readonly slack: FakeChatServer;
  readonly teams: FakeChatServer;
}

/** A fake Slack webhook and a fake Teams Workflows webhook on 127.0.0.1, both accepting every post. */
export async function startSlackAndTeams(): Promise<SlackAndTeams> {
  const [slack, teams] = await Promise.all([
    startFakeChatServer(SLACK_OK, '/services/T1/B2/live'),
    startFakeChatServer(TEAMS_ACCEPTED, '/workflows/teams'),
  ]);
  return { slack, teams };
}

/**
 * A local configuration of two destinations, `slack-ops` and `teams-ops`, both receiving `events`, with no pacing
 * to wait for; `minGroupSize` as given (digests from 2 events by default).
 */
export function slackAndTeamsConfig(
  { slack, teams }: SlackAndTeams,
  events: readonly EventType[],
  minGroupSize?: number,
): RelayConfig {
  const common = {
    rateLimit: { messagesPerSecond: 1000 },
    ...(minGroupSize !== undefined ? { digest: { minGroupSize } } : {}),
  };
  return parseRelayConfig(
    {
      destinations: [
        { name: 'slack-ops', kind: 'slack', url: slack.url, ...common },
        { name: 'teams-ops', kind: 'teams', url: teams.url, ...common },
      ],
      routes: [{ events, to: ['slack-ops', 'teams-ops'] }],
    },
    'local',
    checkDestinationUrl,
  );
}
