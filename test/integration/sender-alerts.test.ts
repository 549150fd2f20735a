import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlackMessage } from '../../functions/chat';
import type { TeamsMessage } from '../../functions/chat';
import type { RelayConfig } from '../../functions/config';
import { realSleep } from '../../functions/delivery';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import type { FakeChatServer } from '../support/fake-chat-server';
import { slackAndTeamsConfig, startSlackAndTeams } from '../support/slack-and-teams';
import { teamsCardTexts } from '../support/markup';
import { postWebhooks } from '../support/post-webhooks';

/*
 * Bounce-rate alerts on the local relay, with fake Slack and Teams on 127.0.0.1 and a clock the test moves: one
 * alert when a sender domain's rate crosses the threshold with enough volume, none below the volume, a reminder
 * and a resolved notice as time passes, and a restart that keeps the window.
 */

const TOKEN = 'sender-alerts-test-token';
const HOUR = 3_600_000;
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8')) as {
    event_name: string;
    payload: Record<string, unknown>;
  };
const delivered = fixture('delivered');
const failed = fixture('permanent_failure');
let nextId = 1;

/** A webhook of `kind` from `sender`, to a recipient at `to`; every body is a new event. */
function body(kind: 'delivered' | 'failed', sender: string, to = 'patients.example.org'): string {
  const base = kind === 'delivered' ? delivered : failed;
  const id = nextId++;
  return JSON.stringify({
    ...base,
    payload: { ...base.payload, id, from: `appointments@${sender}`, to: `person${id}@${to}` },
  });
}

let slack: FakeChatServer;
let teams: FakeChatServer;
let relay: LocalRelay;
let config: RelayConfig;
let dataDir: string;
let offset = 0;
const clock = { now: () => Date.UTC(2026, 11, 1, 9, 30) + offset, sleep: realSleep };

const start = () =>
  startLocalRelay({
    config,
    token: TOKEN,
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    dataDir,
    clock,
    inspector: false,
    // Checked by the test, once every webhook of a step is in.
    rateSettleMs: 3_600_000,
  });

beforeAll(async () => {
  ({ slack, teams } = await startSlackAndTeams());
  config = slackAndTeamsConfig({ slack, teams }, ['permanent_failure']);
  dataDir = mkdtempSync(join(tmpdir(), 'sender-alerts-'));
  relay = await start();
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([slack, teams].map((s) => s?.close()));
});

const slackRates = () =>
  slack.received.map((r) => (r.json as SlackMessage).text).filter((text) => text.startsWith('Bounce rate'));
const teamsRates = () =>
  teams.received.map((r) => teamsCardTexts(r.json as TeamsMessage)[0]!).filter((t) => t.startsWith('Bounce rate'));

async function send(bodies: string[]): Promise<void> {
  const statuses = await postWebhooks(relay.webhookUrl, bodies, 8);
  expect(statuses.every((s) => s === 202)).toBe(true);
  await relay.checkSending();
  await relay.idle();
}

describe('bounce-rate alerts per sender domain', () => {
  it('posts exactly one alert, with the rate, once 1,000 messages hold 61 hard bounces', async () => {
    // 939 delivered and 61 hard bounces, interleaved: 1,000 messages, 6.1 %.
    const bodies = Array.from({ length: 1000 }, (_, i) =>
      body(
        i % 16 === 3 && i < 976 ? 'failed' : 'delivered',
        'mail.clinic.example.com',
        i % 2 ? 'a.example' : 'b.example',
      ),
    );
    expect(bodies.filter((b) => b.includes('permanent_failure')).length).toBe(61);
    await send(bodies);
    expect(slackRates()).toEqual(['Bounce rate 6.1 % for mail.clinic.example.com: 61 of 1,000 in 24 h']);
    expect(teamsRates()).toEqual(['Bounce rate 6.1 % for mail.clinic.example.com: 61 of 1,000 in 24 h']);
    // Checked again without a change: nothing more.
    await relay.checkSending();
    await relay.idle();
    expect(slackRates()).toHaveLength(1);
  });

  it('posts nothing for a domain under minVolume, however high its rate', async () => {
    const bodies = Array.from({ length: 49 }, (_, i) => body(i % 2 ? 'failed' : 'delivered', 'few.example.com'));
    await send(bodies);
    expect(slackRates().filter((t) => t.includes('few.example.com'))).toEqual([]);
  });

  it('keeps the window and the firing alert across a restart', async () => {
    await relay.close();
    relay = await start();
    await relay.checkSending();
    await relay.idle();
    expect(slackRates()).toHaveLength(1);
  });

  it('reminds after health.reminderHours, counting what came before the restart', async () => {
    offset += 4 * HOUR;
    await send([
      body('failed', 'mail.clinic.example.com'),
      ...Array.from({ length: 10 }, () => body('delivered', 'mail.clinic.example.com')),
    ]);
    expect(slackRates().at(-1)).toBe(
      'Bounce rate still 6.1 %, reminder 1 for mail.clinic.example.com: 62 of 1,011 in 24 h',
    );
    expect(teamsRates()).toHaveLength(2);
  });

  it("folds the firing domain's failures into digests whose counts add up, and leaves other domains alone", async () => {
    const before = slack.received.length;
    await send([
      ...Array.from({ length: 5 }, () => body('failed', 'mail.clinic.example.com')),
      body('failed', 'quiet.example.com'),
    ]);
    const posted = slack.received.slice(before).map((r) => (r.json as SlackMessage).text);
    const digests = posted.filter((t) => t.includes('from mail.clinic.example.com ('));
    const counted = digests.map((t) => Number(/^(\d+) messages? failed to send/.exec(t)?.[1]));
    expect(counted.every((n) => n > 0)).toBe(true);
    expect(counted.reduce((a, b) => a + b, 0)).toBe(5);
    // The other domain's failure is a lone alert, as before; nothing else was posted.
    expect(posted.filter((t) => t.includes('quiet.example.com'))).toHaveLength(1);
    expect(posted.filter((t) => t.includes('quiet.example.com') && / failed to send from /.test(t))).toHaveLength(0);
    expect(posted).toHaveLength(digests.length + 1);
  });

  it('resolves once the window has moved past the bounces', async () => {
    offset += 24 * HOUR;
    await send(Array.from({ length: 60 }, () => body('delivered', 'mail.clinic.example.com')));
    expect(slackRates().at(-1)).toBe('Bounce rate back to 0.0 % for mail.clinic.example.com: 0 of 60 in 24 h');
    expect(teamsRates().at(-1)).toBe('Bounce rate back to 0.0 % for mail.clinic.example.com: 0 of 60 in 24 h');
    expect(slackRates()).toHaveLength(3);
  });
});
