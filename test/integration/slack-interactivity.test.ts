import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkDestinationUrl, type SlackMessage } from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { realSleep } from '../../functions/delivery';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { FileAuditLog, archiveDirOf } from '../../functions/archive';
import { captureLogger } from '../support/capture-logger';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api';
import { postWebhooks } from '../support/post-webhooks';
import { clickBody, postSigned, repost } from '../support/slack-clicks';

/*
 * Slack's buttons against the local relay on 127.0.0.1: requests signed as Slack signs them, a fake Web API for
 * what the relay writes back, a fake webhook destination beside the app to see what is posted, and a clock the test
 * moves. Acknowledge stops a rate alert's reminders; Mute sender domain hides the next matching event; Undo ends it;
 * a wrong signature, a stale timestamp and a replay are refused and change nothing.
 */

const SECRET = '8f742231b10e8888abcd99yyyzzz85a5';
const CHANNEL = 'C0FAKECHAN1';
const HOUR = 3_600_000;
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8')) as {
    payload: Record<string, unknown>;
  };
let nextId = 1;
function body(kind: 'delivered' | 'permanent_failure', sender: string): string {
  const base = fixture(kind);
  const id = nextId++;
  return JSON.stringify({
    ...base,
    // A message of its own each: the app threads events about one message under its first alert.
    payload: {
      ...base.payload,
      id,
      source_tracking_id: `track-${id}`,
      header_message_id: `<m-${id}@${sender}>`,
      from: `appointments@${sender}`,
      to: `person${id}@patients.example.org`,
    },
  });
}

let api: FakeSlackApi;
let hook: FakeChatServer;
let relay: LocalRelay;
let dataDir: string;
let url: string;
let offset = 0;
const logger = captureLogger();
const clock = { now: () => Date.UTC(2026, 11, 1, 9, 30) + offset, sleep: realSleep };
const nowSeconds = () => Math.floor(clock.now() / 1000);

beforeAll(async () => {
  api = await startFakeSlackApi({ channels: [{ id: CHANNEL, name: 'alerts' }] });
  hook = await startFakeChatServer(SLACK_OK, '/services/T1/B2/live');
  const fast = { rateLimit: { messagesPerSecond: 1000 }, digest: { minGroupSize: 10_000 } };
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'slack-app', kind: 'slack', channel: CHANNEL, ...fast },
        { name: 'slack-ops', kind: 'slack', url: hook.url, ...fast },
      ],
      routes: [{ events: ['permanent_failure'], to: ['slack-app', 'slack-ops'] }],
    },
    'local',
    checkDestinationUrl,
  );
  dataDir = mkdtempSync(join(tmpdir(), 'slack-interactivity-'));
  relay = await startLocalRelay({
    config,
    token: 'interactivity-test-token',
    fingerprintKey: 'k',
    logger,
    port: 0,
    dataDir,
    clock,
    inspector: false,
    write: () => undefined,
    rateSettleMs: HOUR,
    env: { RELAY_SLACK_BOT_TOKEN: api.token, RELAY_SLACK_SIGNING_SECRET: SECRET, SLACK_API_BASE_URL: api.baseUrl },
  });
  url = `${relay.baseUrl}/slack/interactivity`;
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([api?.close(), hook?.close()]);
});

const hookTexts = () => hook.received.map((r) => (r.json as SlackMessage).text);
const rateTexts = (domain: string) => hookTexts().filter((t) => t.startsWith('Bounce rate') && t.includes(domain));
const audit = () => new FileAuditLog(archiveDirOf(dataDir)).list();
const silences = () =>
  (JSON.parse(readFileSync(join(dataDir, 'silences.json'), 'utf8')) as { silences: { id: string }[] }).silences;

async function send(bodies: string[]): Promise<void> {
  expect(await postWebhooks(relay.webhookUrl, bodies, 4)).toEqual(bodies.map(() => 202));
  await relay.checkSending();
  await relay.idle();
}

/** Waits until the fake Web API has had `count` calls of `method` (the relay answers Slack first, then acts). */
async function callsOf(method: string, count: number, text = '') {
  const of = () => api.callsOf(method).filter((c) => String(c.args.text).startsWith(text));
  for (let i = 0; i < 200 && of().length < count; i++) await realSleep(10);
  return of();
}

/** The app's posts whose text holds `words`. */
const appPosts = (words: string) => api.callsOf('chat.postMessage').filter((c) => String(c.args.text).includes(words));

type Button = { action_id: string; value: string };
/** The buttons of a post, wherever its actions block is. */
function buttonsOf(args: Readonly<Record<string, unknown>>): Button[] {
  const blocks = [
    ...((args.blocks as { elements?: Button[] }[] | undefined) ?? []),
    ...((args.attachments as { blocks: { elements?: Button[] }[] }[] | undefined) ?? []).flatMap((a) => a.blocks),
  ];
  return blocks.flatMap((b) => b.elements ?? []).filter((e) => typeof e.action_id === 'string');
}

/** A click on the button `actionId` of a post the relay made, with the post as Slack would send it back. */
function clickOn(args: Readonly<Record<string, unknown>>, actionId: string, ts: string): string {
  const button = buttonsOf(args).find((b) => b.action_id === actionId);
  if (!button) throw new Error(`no ${actionId} button in ${String(args.text)}`);
  const { text, blocks, attachments } = args;
  return clickBody(undefined, {
    channel: CHANNEL,
    ts,
    raw: { actionId, value: button.value },
    message: { type: 'message', ts, text, blocks, ...(attachments ? { attachments } : {}) },
  });
}

describe('Slack interactivity on the local relay', () => {
  it('Acknowledge updates the alert and stops its rate alert reminders, while another domain is reminded', async () => {
    // 50 delivered and 10 hard bounces for each domain: 16.7 %, over alertAt with minVolume met.
    const burst = (domain: string) => [
      ...Array.from({ length: 50 }, () => body('delivered', domain)),
      ...Array.from({ length: 10 }, () => body('permanent_failure', domain)),
    ];
    await send([...burst('acked.example.com'), ...burst('other.example.com')]);
    expect(rateTexts('acked.example.com')).toHaveLength(1);
    expect(rateTexts('other.example.com')).toHaveLength(1);
    const [rateAlert] = appPosts('Bounce rate 16.7 % for acked.example.com');

    // The rate alert's own Acknowledge button, as the app rendered it.
    const click = clickOn(rateAlert!.args, 'relay_ack', '1700000000.000100');
    expect((await postSigned(url, click, { secret: SECRET, timestamp: nowSeconds() })).status).toBe(200);
    const [update] = await callsOf('chat.update', 1);
    expect(update!.args).toMatchObject({ channel: CHANNEL, ts: '1700000000.000100' });
    const updated = JSON.stringify(update!.args);
    expect(updated).not.toContain('relay_ack');
    expect(updated).toContain('relay_mute_domain');
    expect(update!.args.text).toBe(rateAlert!.args.text);
    expect(updated).toMatch(/Acknowledged by <@U0PERSON1> at <!date\^\d+\^/);

    // Past health.reminderHours (4 h): the other domain is reminded, the acknowledged one is not.
    offset += 5 * HOUR;
    await relay.checkSending();
    await relay.idle();
    expect(rateTexts('other.example.com')).toHaveLength(2);
    expect(rateTexts('acked.example.com')).toHaveLength(1);
    expect(appPosts('other.example.com').filter((c) => String(c.args.text).startsWith('Bounce rate'))).toHaveLength(2);
    expect(appPosts('acked.example.com').filter((c) => String(c.args.text).startsWith('Bounce rate'))).toHaveLength(1);
    expect(await audit()).toEqual([
      expect.objectContaining({
        action: 'acknowledge',
        by: 'U0PERSON1',
        destination: 'slack-app',
        sender_domain: 'acked.example.com',
        changed: true,
      }),
    ]);
  });

  it("an alert's Acknowledge acknowledges its sender domain's rate alert too", async () => {
    const domain = 'third.example.com';
    await send([
      ...Array.from({ length: 50 }, () => body('delivered', domain)),
      ...Array.from({ length: 10 }, () => body('permanent_failure', domain)),
    ]);
    expect(rateTexts(domain)).toHaveLength(1);
    // One hard bounce alert of that domain, by its Acknowledge button's value: it names the message and the domain.
    const alert = api
      .callsOf('chat.postMessage')
      .find((c) => buttonsOf(c.args).some((b) => b.action_id === 'relay_ack' && b.value.includes(`"d":"${domain}"`)));
    expect(JSON.parse(buttonsOf(alert!.args).find((b) => b.action_id === 'relay_ack')!.value)).toMatchObject({
      m: expect.any(String),
      d: domain,
    });
    const updates = api.callsOf('chat.update').length;
    const click = clickOn(alert!.args, 'relay_ack', '1700000000.000300');
    expect((await postSigned(url, click, { secret: SECRET, timestamp: nowSeconds() })).status).toBe(200);
    await callsOf('chat.update', updates + 1);

    offset += 5 * HOUR;
    await relay.checkSending();
    await relay.idle();
    expect(rateTexts(domain)).toHaveLength(1);
    expect((await audit()).at(-1)).toMatchObject({
      action: 'acknowledge',
      sender_domain: domain,
      message_key: expect.any(String),
      changed: true,
    });
  });

  it('Mute sender domain silences the next matching event, says so in the thread, and Undo ends it', async () => {
    await send([body('permanent_failure', 'muted.example.com')]);
    const [alert] = appPosts('from muted.example.com');
    const ts = '1700000000.000200';
    const click = clickOn(alert!.args, 'relay_mute_domain', ts);
    expect((await postSigned(url, click, { secret: SECRET, timestamp: nowSeconds() })).status).toBe(200);
    const [reply] = await callsOf('chat.postMessage', 1, 'Muted');
    expect(reply!.args).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(JSON.stringify(reply!.args)).toMatch(/Muted sender domain muted\.example\.com until <!date\^/);

    const before = hook.received.length;
    const beforeApp = appPosts('from muted.example.com').length;
    await send([body('permanent_failure', 'muted.example.com'), body('permanent_failure', 'open.example.com')]);
    const posted = hookTexts().slice(before);
    expect(posted).toHaveLength(1);
    expect(posted[0]).toContain('open.example.com');
    expect(appPosts('from muted.example.com')).toHaveLength(beforeApp);
    expect(appPosts('from open.example.com')).toHaveLength(1);

    // Undo, from the thread reply's own button.
    const undo = (reply!.args.blocks as { elements?: { action_id: string; value: string }[] }[])
      .flatMap((b) => b.elements ?? [])
      .find((e) => e.action_id === 'relay_undo_silence')!;
    const undoClick = clickBody(undefined, {
      channel: CHANNEL,
      ts: '1700000000.000300',
      raw: { actionId: undo.action_id, value: undo.value },
      message: { type: 'message', ts: '1700000000.000300', text: 'Muted', blocks: reply!.args.blocks as unknown[] },
    });
    expect((await postSigned(url, undoClick, { secret: SECRET, timestamp: nowSeconds() })).status).toBe(200);
    const updates = await callsOf('chat.update', 2);
    expect(updates[1]!.args).toMatchObject({ channel: CHANNEL, ts: '1700000000.000300' });
    expect(JSON.stringify(updates[1]!.args)).not.toContain('relay_undo_silence');

    const again = hook.received.length;
    await send([body('permanent_failure', 'muted.example.com')]);
    // The alert is posted again, and the ended silence says what it hid.
    expect(hookTexts().slice(again).sort()).toEqual([
      expect.stringContaining('muted.example.com'),
      expect.stringMatching(/^Silence s-[0-9a-f]{8} ended: it hid 1 alert/),
    ]);
    const actions = (await audit()).map((a) => `${a.action} ${a.changed}`);
    expect(actions.slice(-2)).toEqual(['muteSenderDomain true', 'undoSilence true']);
    expect(JSON.stringify(await audit())).not.toContain('@');
  });

  it('refuses a wrong signature, a timestamp 6 minutes old and a replay with 401, and changes nothing', async () => {
    const mute = clickBody(
      { name: 'muteRecipient', fingerprint: 'r-0123abcd' },
      { channel: CHANNEL, ts: '1700000000.000400' },
    );
    const calls = api.calls.length;
    const kept = silences().length;
    const wrong = await postSigned(url, mute, { secret: 'not-the-signing-secret', timestamp: nowSeconds() });
    const stale = await postSigned(url, mute, { secret: SECRET, timestamp: nowSeconds() - 6 * 60 });
    expect([wrong.status, stale.status]).toEqual([401, 401]);
    await relay.idle();
    expect(api.calls.length).toBe(calls);
    expect(silences()).toHaveLength(kept);

    const first = await postSigned(url, mute, { secret: SECRET, timestamp: nowSeconds() });
    expect(first.status).toBe(200);
    await callsOf('chat.postMessage', 2, 'Muted');
    expect(await repost(url, mute, first.headers)).toBe(401);
    await relay.idle();
    await realSleep(50);
    expect(await callsOf('chat.postMessage', 0, 'Muted')).toHaveLength(2);
    expect(silences()).toHaveLength(kept + 1);
    // Refused requests are logged as wrong tokens are: the first at once, with why; the next counted for a minute.
    const refusals = logger.lines.filter((l) => l.message.startsWith('answered 401 to Slack interactivity'));
    expect(refusals.map((l) => l.fields.reason)).toEqual(['mismatch']);
    expect(logger.text()).not.toContain(first.headers['x-slack-signature']!);
    expect(logger.text()).not.toContain('r-0123abcd');
  });

  it('answers 200 and does nothing for a button it did not render', async () => {
    const calls = api.calls.length;
    const records = (await audit()).length;
    const foreign = clickBody(undefined, {
      channel: CHANNEL,
      ts: '1700000000.000500',
      raw: { actionId: 'relay_mute_domain', value: '{"d":"Not A Domain"}' },
    });
    expect((await postSigned(url, foreign, { secret: SECRET, timestamp: nowSeconds() })).status).toBe(200);
    const otherChannel = clickBody(
      { name: 'muteSenderDomain', senderDomain: 'x.example.com' },
      { channel: 'C0OTHERCHAN', ts: '1700000000.000600' },
    );
    expect((await postSigned(url, otherChannel, { secret: SECRET, timestamp: nowSeconds() })).status).toBe(200);
    await relay.idle();
    expect(api.calls.length).toBe(calls);
    expect(await audit()).toHaveLength(records);
  });

  it('answers a flood of 1,000 forged clicks with 1,000 × 401, nothing done and at most one more log line', async () => {
    const calls = api.calls.length;
    const kept = silences().length;
    const lines = logger.lines.length;
    const statuses: number[] = [];
    const forged = Array.from({ length: 1000 }, (_, i) =>
      clickBody({ name: 'muteSenderDomain', senderDomain: `f${i}.example.com` }, { channel: CHANNEL, ts: '1.1' }),
    );
    const worker = async () => {
      for (let body = forged.pop(); body !== undefined; body = forged.pop()) {
        statuses.push((await postSigned(url, body, { secret: 'forged-secret', timestamp: nowSeconds() })).status);
      }
    };
    await Promise.all(Array.from({ length: 20 }, worker));
    expect(statuses).toEqual(Array.from({ length: 1000 }, () => 401));
    await relay.idle();
    expect(api.calls.length).toBe(calls);
    expect(silences()).toHaveLength(kept);
    expect(logger.lines.length - lines).toBeLessThanOrEqual(1);
  });
});
