import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDestinationUrl } from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { type LocalRelay, startLocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';

/*
 * Real bounces as mail systems and people write them: each shape below reaches a fake Slack as an alert, through
 * the local relay's ingest (the same handleWebhook the deployed consumer runs), and nothing goes to the quarantine.
 */

const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'paubox', 'permanent_failure.json'), 'utf8'),
) as { event_name: string; payload: Record<string, unknown> };

/** 2026-11-20T14:03:11Z, as Slack's date token shows it. */
const EPOCH = Date.UTC(2026, 10, 20, 14, 3, 11) / 1000;

interface Shape {
  /** The payload fields that differ from the fixture's; or the whole body as text. */
  readonly payload?: Record<string, unknown>;
  readonly raw?: (id: number) => string;
  /** Text the alert must show (as plain text in the Slack body). */
  readonly shows: readonly string[];
  readonly hides?: readonly string[];
}

const SHAPES: Readonly<Record<string, Shape>> = {
  'a display name and a comment': { payload: { to: 'Jordan <j@x.org> (home)' }, shows: ['j@x.org'], hides: ['home'] },
  'addresses separated by ;': { payload: { to: 'a@x.org; b@y.org' }, shows: ['a@x.org', 'b@y.org', 'y.org'] },
  'a quoted local part': { payload: { to: '"j.doe"@x.org' }, shows: ['"j.doe"@x.org'] },
  'a trailing-dot domain': { payload: { to: 'j@x.org.' }, shows: ['j@x.org'] },
  'a single-label domain': { payload: { to: 'j@intranet' }, shows: ['j@intranet'] },
  'an underscore domain': { payload: { to: 'j@mail_relay.x.org' }, shows: ['mail_relay.x.org'] },
  'group syntax': { payload: { to: 'Team: a@x.org, b@y.org;' }, shows: ['a@x.org', 'b@y.org'], hides: ['Team'] },
  'nested comments': { payload: { to: 'j@x.org (a (nested) comment)' }, shows: ['j@x.org'], hides: ['nested'] },
  'a sender with a name and a comment': {
    payload: { from: 'Clinic <appointments@mail.clinic.example.com> (bulk)' },
    shows: ['appointments@mail.clinic.example.com'],
    hides: ['bulk'],
  },
  'custom_headers with null and object values': {
    payload: { custom_headers: { 'X-Gone': null, 'X-Object': { a: 1 }, 'X-Count': 3 } },
    shows: ['X-Object: {"a":1}', 'X-Count: 3'],
    hides: ['X-Gone'],
  },
  'a numeric subject': { payload: { subject: 4242 }, shows: ['4242'] },
  'a time without an offset (UTC)': { payload: { time: '2026-11-20T14:03:11' }, shows: [`<!date^${EPOCH}^`] },
  'a time in epoch seconds': { payload: { time: EPOCH }, shows: [`<!date^${EPOCH}^`] },
  'a time in epoch milliseconds': { payload: { time: EPOCH * 1000 }, shows: [`<!date^${EPOCH}^`] },
  'a UTF-8 BOM before the body': {
    raw: (id) => `\ufeff${JSON.stringify({ ...fixture, payload: { ...fixture.payload, id } })}`,
    shows: ['jordan.lee@patients.example.org'],
  },
  'an id above 2^53': {
    raw: () => JSON.stringify(fixture).replace(/"id":\d+/, '"id":9007199254740993123'),
    shows: ['9007199254740993123'],
  },
  'payload sent as a JSON string': {
    raw: (id) =>
      JSON.stringify({ event_name: fixture.event_name, payload: JSON.stringify({ ...fixture.payload, id }) }),
    shows: ['jordan.lee@patients.example.org'],
  },
};

describe('webhooks in every shape people send reach chat, none quarantined', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'relay-lenient-'));
  let slack: FakeChatServer;
  let relay: LocalRelay;
  beforeAll(async () => {
    slack = await startFakeChatServer(SLACK_OK, '/services/T1/B1/lenient');
    const config = parseRelayConfig(
      {
        destinations: [
          { name: 'ops', kind: 'slack', detail: 'full', url: slack.url, rateLimit: { messagesPerSecond: 100 } },
        ],
        routes: [{ events: ['permanent_failure'], to: ['ops'] }],
      },
      'local',
      checkDestinationUrl,
    );
    relay = await startLocalRelay({
      config,
      token: 'lenient-test-token',
      fingerprintKey: 'lenient-key',
      logger: silentLogger,
      port: 0,
      dataDir,
      healthNotices: false,
    });
  });
  afterAll(async () => {
    await relay.close();
    await slack.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it.each(Object.entries(SHAPES).map(([name, shape], i) => [name, shape, 8_100_000 + i] as const))(
    '%s',
    async (_name, shape, id) => {
      const body =
        shape.raw?.(id) ?? JSON.stringify({ ...fixture, payload: { ...fixture.payload, id, ...shape.payload } });
      const reply = await fetch(relay.webhookUrl, { method: 'POST', body });
      expect([reply.status, ((await reply.json()) as { status: string }).status]).toEqual([202, 'accepted']);
      await relay.idle();
      const post = JSON.stringify(slack.received.at(-1)?.json);
      for (const text of shape.shows) expect(post).toContain(JSON.stringify(text).slice(1, -1));
      for (const text of shape.hides ?? []) expect(post).not.toContain(text);
      expect(existsSync(join(dataDir, 'quarantine'))).toBe(false);
    },
  );

  it('posted one alert per shape', () => {
    expect(slack.received).toHaveLength(Object.keys(SHAPES).length);
  });
});
