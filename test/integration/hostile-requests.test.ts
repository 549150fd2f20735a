import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { syncWebhookRoutes } from '../../functions/ingest';
import { fakeEdge } from '../support/fake-edge';
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

describe('hostile requests against the deployed relay, as API Gateway answers them', () => {
  // API Gateway on 127.0.0.1: the routes the token function makes (fake-edge), any other method or path 404.
  const DEPLOYED = 'D3ployedD3ployedD3ployedD3ployedD3ployedD3ployedD3';
  let edge: ReturnType<typeof fakeEdge>;
  let server: Server;
  let deployed: HostileResult[];

  beforeAll(async () => {
    edge = fakeEdge(DEPLOYED);
    const api = { client: edge.apis, apiId: 'a1', integrationId: 'int0001', stageName: '$default', logger };
    await syncWebhookRoutes({ ...api, throttle: { rateLimit: 2500, burstLimit: 5000 } }, [DEPLOYED]);
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = req.method === 'POST' ? edge.post(req.url ?? '/', Buffer.concat(chunks).toString()) : 404;
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(status === 404 ? '{"message":"Not Found"}' : '{"SendMessageResponse":{}}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    deployed = await runHostileRequests(`http://127.0.0.1:${port}`, DEPLOYED, { target: 'deployed' });
  });

  afterAll(async () => {
    edge?.restore();
    await new Promise((resolve) => server?.close(resolve));
  });

  it('gets the answers `--url https://…` expects: 404 without a valid token, 202 for what is queued', () => {
    expect(deployed.filter((r) => !r.ok)).toEqual([]);
    const byName = Object.fromEntries(deployed.map((r) => [r.name, r.status]));
    expect(byName).toMatchObject({
      'wrong token': 404,
      'token prefix': 404,
      'GET on the webhook': 404,
      'bad JSON': 202,
    });
    // Only requests with the token were queued.
    expect(edge.queue.length).toBe(deployed.filter((r) => r.status === 202).length);
  });
});
