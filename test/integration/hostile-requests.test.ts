import { parseRelayConfig } from '../../functions/config';
import { checkDestinationUrl } from '../../functions/chat';
import {
  hostileRequests,
  MARKS,
  runHostileRequests,
  type HostileResult,
  startLocalRelay,
  type LocalRelay,
} from '../../functions/local';
import { captureLogger } from '../support/capture-logger';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED, type FakeChatServer } from '../support/fake-chat-server';

const TOKEN = 'H0stileTestH0stileTestH0stileTestH0stileTestH0stil';
const logger = captureLogger();
let slack: FakeChatServer;
let teams: FakeChatServer;
let relay: LocalRelay;
let results: HostileResult[];

beforeAll(async () => {
  [slack, teams] = await Promise.all([
    startFakeChatServer(SLACK_OK, '/services/T1/B1/hostile'),
    startFakeChatServer(TEAMS_ACCEPTED, '/workflows/hostile'),
  ]);
  relay = await startLocalRelay({
    config: parseRelayConfig(
      {
        destinations: [
          { name: 'ops-slack', kind: 'slack', url: slack.url },
          { name: 'ops-teams', kind: 'teams', url: teams.url },
        ],
        routes: [{ events: ['permanent_failure'], to: ['ops-slack', 'ops-teams'] }],
      },
      'local',
      checkDestinationUrl,
    ),
    token: TOKEN,
    fingerprintKey: 'hostile-test-fingerprint-key',
    logger,
    port: 0,
  });
  results = await runHostileRequests(relay.baseUrl, TOKEN);
  await relay.idle();
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([slack, teams].map((s) => s?.close()));
});

describe('hostile requests against the local relay on 127.0.0.1', () => {
  it.each(hostileRequests(TOKEN).map((r) => [r.name, r.expectedStatus]))(
    '%s gets %i and an answer that leaks nothing',
    (name, status) => {
      const result = results.find((r) => r.name === name)!;
      expect({ status: result.status, leaked: result.leaked }).toEqual({ status, leaked: [] });
    },
  );

  it('covers wrong and missing tokens, both kinds of huge body, bad JSON, deep nesting, hostile text and wrong methods', () => {
    expect(results).toHaveLength(20);
    // No 400: with the right token, an unreadable body is kept (202 quarantined), since Paubox never retries.
    expect(new Set(results.map((r) => r.status))).toEqual(new Set([202, 401, 404, 405, 413]));
  });

  it('logs neither the token nor any payload value', () => {
    expect(logger.lines.length).toBeGreaterThan(5);
    const text = logger.text();
    for (const value of [TOKEN, ...Object.values(MARKS)]) expect(text).not.toContain(value);
    expect(text).not.toContain('/paubox/');
  });

  it('posts the one valid hostile event to Slack and Teams at minimal detail, without PHI or live mentions', () => {
    expect(slack.received).toHaveLength(1);
    expect(teams.received).toHaveLength(1);
    for (const { raw } of [...slack.received, ...teams.received]) {
      for (const value of [MARKS.recipient, MARKS.subject, MARKS.header, TOKEN]) expect(raw).not.toContain(value);
      expect(raw).toContain('patients.example.org');
    }
    const slackText = (slack.received[0]!.json as { text: string }).text;
    expect(slackText).not.toMatch(/<[!@]/);
  });
});
