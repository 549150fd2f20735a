/**
 * Alerts a person can act on, end to end: webhooks into the local relay over HTTP, alerts out to fake Slack and
 * Teams servers, Paubox's message-receipt API faked on 127.0.0.1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkDestinationUrl } from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { MemoryFailureCounter, type NotifierMetric } from '../../functions/delivery';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { teamsMessageProblems } from '../support/adaptive-card';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED, type FakeChatServer } from '../support/fake-chat-server';
import { startFakeReceiptApi, type FakeReceiptApi } from '../support/fake-receipt-api';
import { unescapeTeams } from '../support/markup';

const RECIPIENT = 'jordan.lee@patients.example.org';
const API_KEY = 'test-paubox-api-key';
const fixture = (name: string): { event_name: string; payload: Record<string, unknown> } =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8'));

let slack: { minimal: FakeChatServer; recipient: FakeChatServer; full: FakeChatServer };
let teams: FakeChatServer;
let receipts: FakeReceiptApi;
let relay: LocalRelay;
const counter = new MemoryFailureCounter();
const metrics: [string, NotifierMetric, number][] = [];
let sequence = 0;

beforeAll(async () => {
  const [minimal, recipient, full] = await Promise.all(
    ['minimal', 'recipient', 'full'].map((d) => startFakeChatServer(SLACK_OK, `/services/T1/B1/${d}`)),
  );
  slack = { minimal: minimal!, recipient: recipient!, full: full! };
  teams = await startFakeChatServer(TEAMS_ACCEPTED, '/workflows/teams');
  receipts = await startFakeReceiptApi();
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops-minimal', kind: 'slack', url: slack.minimal.url },
        { name: 'ops-recipient', kind: 'slack', detail: 'recipient', url: slack.recipient.url },
        { name: 'ops-full', kind: 'slack', detail: 'full', url: slack.full.url },
        { name: 'ops-teams', kind: 'teams', url: teams.url },
      ],
      routes: [
        {
          events: ['permanent_failure', 'temporary_failure'],
          to: ['ops-minimal', 'ops-recipient', 'ops-full', 'ops-teams'],
        },
      ],
      paubox: { apiBaseUrl: receipts.url, enrich: true },
    },
    'local',
    checkDestinationUrl,
  );
  relay = await startLocalRelay({
    config,
    token: 'actionable-alerts-token',
    fingerprintKey: 'test-fingerprint-key',
    logger: silentLogger,
    port: 0,
    write: () => undefined,
    paubox: { apiBaseUrl: receipts.url, apiKey: API_KEY },
    failureCounter: counter,
    metric: (destination, name, value) => metrics.push([destination, name, value]),
  });
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([slack?.minimal, slack?.recipient, slack?.full, teams, receipts].map((s) => s?.close()));
});

const servers = () => [slack.minimal, slack.recipient, slack.full, teams];

beforeEach(() => {
  for (const server of servers()) server.received.length = 0;
  metrics.length = 0;
});

/** Posts a fixture as a new event (its own id and tracking id), `hoursLater` after the fixture's time. */
async function postEvent(name: string, options: { to?: string; hoursLater?: number; trackingId?: string } = {}) {
  const body = fixture(name);
  const n = ++sequence;
  const time = new Date(Date.parse(String(body.payload.time)) + (options.hoursLater ?? 0) * 3_600_000);
  body.payload = {
    ...body.payload,
    id: 9_000_000 + n,
    time: time.toISOString(),
    source_tracking_id: options.trackingId ?? `0000${n}-aaaa-4bbb-8ccc-000000000000`,
    ...(options.to !== undefined ? { to: options.to } : {}),
  };
  const response = await fetch(relay.webhookUrl, { method: 'POST', body: JSON.stringify(body) });
  expect(response.status).toBe(202);
}

async function nextAlerts(withinMs = 3000): Promise<{ slack: string[]; teams: string }> {
  const deadline = Date.now() + withinMs;
  while (!servers().every((s) => s.received.length === 1)) {
    if (Date.now() > deadline) throw new Error(`alerts did not all arrive within ${withinMs} ms`);
    await new Promise((r) => setTimeout(r, 10));
  }
  const slackBodies = [slack.minimal, slack.recipient, slack.full].map((s) => s.received[0]!.raw);
  const card = teams.received[0]!.json as Parameters<typeof teamsMessageProblems>[0];
  expect(teamsMessageProblems(card)).toEqual([]);
  const result = { slack: slackBodies, teams: unescapeTeams(teams.received[0]!.raw) };
  for (const server of servers()) server.received.length = 0;
  return result;
}

describe('actionable alerts, end to end', () => {
  it('a hard bounce says Paubox will not retry and what to check; a soft bounce says it may still deliver', async () => {
    await postEvent('permanent_failure', { to: 'hard.bounce@patients.example.org' });
    const hard = await nextAlerts();
    for (const body of [...hard.slack, hard.teams]) {
      expect(body).toContain('Paubox will not retry this message');
      expect(body).toContain('Check the address on file');
      expect(body).toContain('reach the person another way');
    }
    await postEvent('temporary_failure', { to: 'soft.bounce@inbox.example.net' });
    const soft = await nextAlerts();
    for (const body of [...soft.slack, soft.teams]) {
      expect(body).toContain('Paubox may still deliver this message');
      expect(body).not.toContain('will not retry');
    }
    expect(soft.teams).toContain('"color":"warning"');
  });

  it("shows the receipt's delivery status, and nothing else of the receipt", async () => {
    const trackingId = 'c0ffee00-5555-4abc-8def-00000000feed';
    receipts.statuses.set(trackingId, 'soft bounced - mailbox full');
    await postEvent('temporary_failure', { to: 'status.shown@inbox.example.net', trackingId });
    const alerts = await nextAlerts();
    for (const body of [...alerts.slack, alerts.teams]) {
      expect(body).toContain('Paubox status');
      expect(body).toContain('soft bounced - mailbox full');
      expect(body).not.toContain('zq-receipt');
    }
    const asked = receipts.requests.filter((r) => r.path.includes(trackingId));
    // One lookup for the four destinations' alerts: the answer is cached.
    expect(asked).toHaveLength(1);
    expect(asked[0]).toEqual({
      path: `/v1/clinic-user/message_receipt?sourceTrackingId=${trackingId}`,
      authorization: `Bearer ${API_KEY}`,
    });
    expect(metrics.filter(([, name]) => name === 'EnrichmentFailed')).toEqual([]);
  });

  it.each([
    [
      'a local part after a known phrase',
      'soft bounced - mailbox full for zq-local.part',
      'soft bounced - mailbox full',
    ],
    ['a percent-encoded address', 'hard bounced: zq-pct%40patients.example.org', 'hard bounced'],
    ['a full-width at sign', 'zq-fullwidth＠patients.example.org rejected', 'not shown at this detail'],
    ['an address spelled out', 'zq-spelled at patients dot org bounced', 'not shown at this detail'],
    ['a quoted subject', 'delivered "Lab results for zq-quoted-subject"', 'delivered'],
    ['a local part alone', 'zq-alone.local', 'not shown at this detail'],
  ])('at minimal, a status holding %s shows only a known phrase', async (_what, status, shown) => {
    const trackingId = `c0ffee00-7777-4abc-8def-${String(++sequence).padStart(12, '0')}`;
    receipts.statuses.set(trackingId, status);
    await postEvent('temporary_failure', { to: 'hostile.status@inbox.example.net', trackingId });
    const alerts = await nextAlerts();
    const personal = /zq-[a-z.-]+/.exec(status)![0];
    for (const minimal of [alerts.slack[0]!, alerts.teams]) {
      expect(minimal).toContain('Paubox status');
      expect(minimal).toContain(shown);
      expect(minimal).not.toContain(personal);
    }
    // Above minimal the status is shown as Paubox gave it, escaped.
    expect(alerts.slack[2]).toContain(personal);
  });

  it('with the receipt API hanging, the alert still arrives within 3 s, without a status', async () => {
    const trackingId = 'c0ffee00-6666-4abc-8def-00000000dead';
    receipts.statuses.set(trackingId, 'hang');
    const started = Date.now();
    await postEvent('permanent_failure', { to: 'api.hangs@patients.example.org', trackingId });
    const alerts = await nextAlerts(3000);
    expect(Date.now() - started).toBeLessThan(3000);
    for (const body of [...alerts.slack, alerts.teams]) {
      expect(body).toContain('Paubox will not retry');
      expect(body).not.toContain('Paubox status');
    }
    expect(metrics).toEqual(expect.arrayContaining([['ops-minimal', 'EnrichmentFailed', 1]]));
  });

  it('the third failure for one recipient within a day says "3 failures" at every level; no address is stored', async () => {
    const to = 'three.times@patients.example.org';
    await postEvent('permanent_failure', { to });
    const first = await nextAlerts();
    for (const body of [...first.slack, first.teams]) expect(body).not.toContain('failures for this recipient');
    await postEvent('temporary_failure', { to, hoursLater: 5 });
    const second = await nextAlerts();
    for (const body of [...second.slack, second.teams]) {
      expect(body).toContain('2 failures for this recipient in 24 h');
    }
    await postEvent('permanent_failure', { to, hoursLater: 20 });
    const third = await nextAlerts();
    for (const body of [...third.slack, third.teams]) {
      expect(body).toContain('3 failures for this recipient in 24 h');
    }
    // The address shows where the level allows it, and never in what the counter keeps.
    expect(third.slack.map((b) => b.includes(to))).toEqual([false, true, true]);
    const stored = JSON.stringify([...counter.stored()].map(([k, v]) => [k, [...v]]));
    expect(stored).toContain('r-');
    expect(stored).not.toContain('three.times');
    expect(stored).not.toContain('@');
    expect(stored).not.toContain(RECIPIENT);
  });

  it('a failure more than a day after the others is counted alone', async () => {
    const to = 'a.day.apart@patients.example.org';
    await postEvent('permanent_failure', { to });
    await nextAlerts();
    await postEvent('permanent_failure', { to, hoursLater: 25 });
    const later = await nextAlerts();
    for (const body of [...later.slack, later.teams]) expect(body).not.toContain('failures for this recipient');
  });
});
