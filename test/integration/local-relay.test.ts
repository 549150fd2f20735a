import { mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRelayConfig } from '../../functions/config';
import { checkDestinationUrl } from '../../functions/chat';
import { captureLogger } from '../support/capture-logger';
import { silentLogger } from '../../functions/observability';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { adaptiveCardProblems } from '../support/adaptive-card';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED, type FakeChatServer } from '../support/fake-chat-server';

const TOKEN = 'integration-test-token';
const fixture = (name: string): string =>
  readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8');

const RECIPIENT = 'jordan.lee@patients.example.org';
const SUBJECT = 'Your appointment on Tuesday';

let slack: FakeChatServer;
let teams: FakeChatServer;
let billing: FakeChatServer;
let relay: LocalRelay;
const consoleOut: string[] = [];
const logger = captureLogger();

beforeAll(async () => {
  [slack, teams, billing] = await Promise.all([
    startFakeChatServer(SLACK_OK, '/services/T1/B1/slack'),
    startFakeChatServer(TEAMS_ACCEPTED, '/workflows/teams'),
    startFakeChatServer(SLACK_OK, '/services/T1/B2/billing'),
  ]);
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops-slack', kind: 'slack', url: slack.url },
        { name: 'ops-teams', kind: 'teams', url: teams.url },
        { name: 'billing', kind: 'slack', detail: 'full', url: billing.url },
        { name: 'terminal', kind: 'console', detail: 'recipient' },
      ],
      routes: [
        { events: ['permanent_failure', 'temporary_failure'], to: ['ops-slack', 'ops-teams', 'terminal'] },
        { events: ['permanent_failure'], senderDomains: ['billing.example.com'], to: ['billing'] },
      ],
    },
    'local',
    checkDestinationUrl,
  );
  relay = await startLocalRelay({
    config,
    token: TOKEN,
    fingerprintKey: 'test-fingerprint-key',
    logger,
    port: 0,
    write: (text) => consoleOut.push(text),
  });
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([slack, teams, billing].map((s) => s?.close()));
});

beforeEach(() => {
  for (const server of [slack, teams, billing]) server.received.length = 0;
  consoleOut.length = 0;
});

const post = (body: string, url = relay.webhookUrl): Promise<Response> =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

async function waitFor(condition: () => boolean, withinMs: number): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('local relay, end to end over HTTP on 127.0.0.1', () => {
  it('answers GET /health with 200', async () => {
    const response = await fetch(`${relay.baseUrl}/health`);
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });

  it('delivers a permanent failure to Slack and Teams within a second, in their formats, without PHI at minimal detail', async () => {
    const started = Date.now();
    const response = await post(fixture('permanent_failure'));
    expect(response.status).toBe(202);
    const { id } = (await response.json()) as { id: string };
    await waitFor(() => slack.received.length === 1 && teams.received.length === 1, 1000);
    expect(Math.max(slack.received[0]!.at, teams.received[0]!.at) - started).toBeLessThan(1000);

    const slackBody = slack.received[0]!.json as { text: string; blocks: { type: string; text?: { text: string } }[] };
    expect(slack.received[0]!.path).toBe('/services/T1/B1/slack');
    expect(slackBody.text).toContain('Message failed to send');
    expect(slackBody.blocks[0]).toMatchObject({
      type: 'header',
      text: { type: 'plain_text', text: '✖ Message failed to send' },
    });
    expect(slack.received[0]!.raw).toContain('patients.example.org');
    // The key, shortened as shown: enough to find the event in the logs.
    expect(slack.received[0]!.raw).toContain(`key ${id.slice(0, 12)}…`);

    const teamsRequest = teams.received[0]!;
    expect(teamsRequest.headers['content-type']).toBe('application/json; charset=utf-8');
    const envelope = teamsRequest.json as { type: string; attachments: { contentType: string; content: unknown }[] };
    expect(envelope.type).toBe('message');
    expect(envelope.attachments[0]!.contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(envelope.attachments[0]!.content).toMatchObject({ type: 'AdaptiveCard', version: '1.4' });
    expect(teamsRequest.raw).toContain('Message failed to send');
    expect(adaptiveCardProblems(envelope.attachments[0]!.content)).toEqual([]);

    for (const raw of [slack.received[0]!.raw, teamsRequest.raw]) {
      expect(raw).not.toContain(RECIPIENT);
      expect(raw).not.toContain(SUBJECT);
      expect(raw).not.toContain('north');
    }
    expect(billing.received).toHaveLength(0);
  });

  it('prints the alert on the console destination, at its own detail level', async () => {
    await post(fixture('temporary_failure'));
    await relay.idle();
    const printed = consoleOut.join('');
    expect(printed).toContain('Message not delivered yet');
    expect(printed).toContain('What to do: Paubox may still deliver this message.');
    expect(printed).toContain('sam.rivera@inbox.example.net');
    expect(printed).not.toContain('Lab results are ready');
  });

  it('routes by sender domain: the billing destination gets only billing failures, with the subject at full detail', async () => {
    await post(fixture('legacy_permanent_failure'));
    await relay.idle();
    expect(billing.received).toHaveLength(1);
    expect(billing.received[0]!.raw).toContain('Billing statement');
    expect(billing.received[0]!.raw).toContain('pat.morgan@patients.example.org');
    expect(slack.received).toHaveLength(1);
    expect(slack.received[0]!.raw).not.toContain('Billing statement');
  });

  it('sends a delivered event with no route nowhere, and says so after accepting it', async () => {
    logger.lines.length = 0;
    const response = await post(fixture('delivered'));
    expect(response.status).toBe(202);
    await relay.idle();
    expect([slack, teams, billing].map((s) => s.received.length)).toEqual([0, 0, 0]);
    expect(consoleOut).toEqual([]);
    const { id } = (await response.json()) as { id: string };
    await waitFor(() => logger.lines.length >= 2, 1000);
    expect(logger.lines.map((l) => [l.message, l.fields.eventKey])).toEqual([
      ['accepted event', id],
      ['not routed: no route of the configuration takes it', id],
    ]);
  });

  it.each([
    ['a wrong token', `${'x'}`, '{}', 401],
    ['bad JSON', undefined, '{"event_name":', 202],
    ['an invalid body', undefined, '{"event_name":"api_mail_log_opened","payload":{"from":5}}', 202],
    ['an oversized body', undefined, `{"pad":"${'x'.repeat(70 * 1024)}"}`, 413],
  ])('answers %s with the right status and relays nothing', async (_label, token, body, status) => {
    const url = token ? relay.webhookUrl.replace(TOKEN, token) : relay.webhookUrl;
    const response = await post(body, url);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/json');
    const answer = (await response.json()) as { error?: string; status?: string };
    // With the right token, an unreadable body is kept in the quarantine rather than refused.
    if (status === 202) expect(answer.status).toBe('quarantined');
    else expect(answer.error).toEqual(expect.any(String));
    await relay.idle();
    expect(slack.received.length + teams.received.length + billing.received.length).toBe(0);
  });

  it('answers 404 and 405 off the webhook route', async () => {
    expect((await fetch(`${relay.baseUrl}/nope`)).status).toBe(404);
    expect((await fetch(relay.webhookUrl)).status).toBe(405);
  });
});

describe('a relay that cannot listen', () => {
  it('fails with the port in use, and keeps no file of its data directory open', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'relay-port-taken-'));
    const openFiles = (): string[] =>
      readdirSync('/proc/self/fd')
        .map((fd) => {
          try {
            return readlinkSync(`/proc/self/fd/${fd}`);
          } catch {
            return '';
          }
        })
        .filter((path) => path.startsWith(dataDir));
    const config = parseRelayConfig(
      { destinations: [{ name: 'terminal', kind: 'console' }], routes: [{ events: ['delivered'], to: ['terminal'] }] },
      'local',
      checkDestinationUrl,
    );
    try {
      await expect(
        startLocalRelay({
          config,
          token: TOKEN,
          fingerprintKey: 'test-fingerprint-key',
          logger: silentLogger,
          port: Number(new URL(relay.baseUrl).port),
          dataDir,
          write: () => undefined,
        }),
      ).rejects.toThrow(/EADDRINUSE/);
      // The journal was open before the port was tried: it must be closed, not left to the garbage collector.
      expect(openFiles()).toEqual([]);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
