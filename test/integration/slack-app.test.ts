import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEALTH_PREFIX } from '../../functions/alerts';
import {
  checkDestinationUrl,
  decodeSlackAction,
  SLACK_ACTIONS_BLOCK_ID,
  SLACK_COLORS,
  type SlackMessage,
  slackBlocks,
} from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { probeLocalDestination } from '../../functions/health';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';
import { type FakeSlackApi, startFakeSlackApi } from '../support/fake-slack-api';

/*
 * A destination in Slack app mode, end to end through the local relay (webhook in → fake Slack Web API on
 * 127.0.0.1): one thread per message, the first alert updated when its story turns, buttons that carry a
 * fingerprint and never an address, broken errors dead-lettered with a health notice, and a probe that posts nothing.
 */

const TOKEN = 'slack-app-test-token';
const BOT_TOKEN = 'xoxb-slack-app-test';
const CHANNEL = 'C0FAKECHAN1';
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8')) as {
    event_name: string;
    payload: Record<string, unknown>;
  };

/** A webhook of `type` about one message: the same tracking id and Message-ID whatever the type. */
function webhook(type: string, id: number, message: string, recipient = 'sam.rivera@inbox.example.net') {
  const base = fixture(type);
  return JSON.stringify({
    ...base,
    payload: {
      ...base.payload,
      id,
      source_tracking_id: `track-${message}`,
      header_message_id: `<${message}@mail.clinic.example.com>`,
      to: recipient,
    },
  });
}

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 25));
}

const messageOf = (args: Readonly<Record<string, unknown>>): SlackMessage => args as unknown as SlackMessage;

describe('Slack app mode through the local relay', () => {
  let api: FakeSlackApi;
  let relay: LocalRelay | undefined;
  let webhookSlack: FakeChatServer;
  const env = () => ({ RELAY_SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_BASE_URL: api.baseUrl });

  beforeEach(async () => {
    api = await startFakeSlackApi({
      token: BOT_TOKEN,
      channels: [{ id: CHANNEL }, { id: 'C0ARCHIVED1', archived: true }],
    });
    webhookSlack = await startFakeChatServer(SLACK_OK, '/services/T1/B1/health');
  });
  afterEach(async () => {
    await relay?.close();
    relay = undefined;
    await Promise.all([api.close(), webhookSlack.close()]);
  });

  async function start(destination: Record<string, unknown>, routes: unknown[], probe = false): Promise<void> {
    const config = parseRelayConfig(
      {
        destinations: [
          { name: 'app', rateLimit: { messagesPerSecond: 1000 }, ...destination },
          { name: 'ops', kind: 'slack', url: webhookSlack.url, rateLimit: { messagesPerSecond: 1000 } },
        ],
        // `ops` receives health notices; no test sends an `opened` event.
        routes: [...routes, { events: ['opened'], to: ['ops'] }],
      },
      'local',
      checkDestinationUrl,
    );
    relay = await startLocalRelay({
      config,
      token: TOKEN,
      fingerprintKey: 'k',
      logger: silentLogger,
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'slack-app-')),
      healthSettleMs: 200,
      env: env(),
      probeDestinations: probe,
    });
  }

  const send = (body: string) =>
    fetch(relay!.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

  it('threads a temporary failure and its delivery: one post, one update of it, one reply in its thread', async () => {
    // The routes ask for failures only: `delivered` comes in only as a follow-up.
    await start({ channel: CHANNEL, detail: 'recipient' }, [
      { events: ['temporary_failure', 'permanent_failure'], to: ['app'] },
    ]);
    expect((await send(webhook('temporary_failure', 1, 'm1'))).status).toBe(202);
    await until(() => api.callsOf('chat.postMessage').length === 1);
    expect((await send(webhook('delivered', 2, 'm1'))).status).toBe(202);
    await until(() => api.callsOf('chat.postMessage').length === 2);
    await relay!.idle();

    const [first, reply] = api.callsOf('chat.postMessage');
    const updates = api.callsOf('chat.update');
    expect(updates).toHaveLength(1);
    expect(first!.headers.authorization).toBe(`Bearer ${BOT_TOKEN}`);
    expect(first!.args).toMatchObject({ channel: CHANNEL });
    expect(first!.args.thread_ts).toBeUndefined();
    const ts = '1700000000.000100';
    expect(reply!.args).toMatchObject({ channel: CHANNEL, thread_ts: ts });
    expect(updates[0]!.args).toMatchObject({ channel: CHANNEL, ts });

    // The first alert carries the three buttons; their values hold a fingerprint, never the address, even at
    // `recipient` detail, where the alert itself shows the address.
    const blocks = slackBlocks(messageOf(first!.args));
    const actions = blocks.find((b) => b.type === 'actions');
    expect(actions).toMatchObject({ block_id: SLACK_ACTIONS_BLOCK_ID });
    const buttons = (actions as { elements: { action_id: string; value: string; text: { text: string } }[] }).elements;
    expect(buttons.map((b) => b.text.text)).toEqual(['Acknowledge', 'Mute recipient 24 h', 'Mute sender domain 4 h']);
    expect(buttons.map((b) => decodeSlackAction(b.action_id, b.value))).toEqual([
      { name: 'acknowledge', messageKey: 'track-m1', senderDomain: 'mail.clinic.example.com' },
      { name: 'muteRecipient', messageKey: 'track-m1', fingerprint: expect.stringMatching(/^r-[0-9a-f]{10}$/) },
      { name: 'muteSenderDomain', messageKey: 'track-m1', senderDomain: 'mail.clinic.example.com' },
    ]);
    expect(JSON.stringify(first!.args)).toContain('sam.rivera@inbox.example.net');
    expect(buttons.map((b) => b.value).join()).not.toContain('sam.rivera');

    // The update turns the first alert green: ✓, delivered after all.
    const updated = messageOf(updates[0]!.args);
    expect(JSON.stringify(updated.blocks)).toContain('✓ Message delivered after all');
    expect(updated.attachments![0].color).toBe(SLACK_COLORS.good);
    expect(JSON.stringify(updated.attachments)).toMatch(/\*delivered after all\* at <!date\^/);
    // The reply has no buttons of its own.
    expect(slackBlocks(messageOf(reply!.args)).some((b) => b.type === 'actions')).toBe(false);
    // Nothing went to the webhook destination.
    expect(webhookSlack.received).toHaveLength(0);
  });

  it('turns the first alert red when a permanent failure follows a temporary one', async () => {
    await start({ channel: CHANNEL }, [{ events: ['temporary_failure', 'permanent_failure'], to: ['app'] }]);
    await send(webhook('temporary_failure', 1, 'm2'));
    await until(() => api.callsOf('chat.postMessage').length === 1);
    await send(webhook('permanent_failure', 2, 'm2'));
    await until(() => api.callsOf('chat.postMessage').length === 2);
    await relay!.idle();
    const [update] = api.callsOf('chat.update');
    expect(update).toBeDefined();
    expect(messageOf(update!.args).attachments![0].color).toBe(SLACK_COLORS.error);
    expect(JSON.stringify(update!.args)).toContain('failed permanently after all');
  });

  it('drops, and never posts, a follow-up about a message it has no thread for', async () => {
    await start({ channel: CHANNEL }, [{ events: ['permanent_failure'], to: ['app'] }]);
    await send(webhook('delivered', 1, 'never-alerted'));
    await send(webhook('permanent_failure', 2, 'm3'));
    await until(() => api.callsOf('chat.postMessage').length === 1);
    await relay!.idle();
    expect(api.callsOf('chat.postMessage')).toHaveLength(1);
    expect(JSON.stringify(api.callsOf('chat.postMessage')[0]!.args)).toContain('failed to send');
  });

  it('dead-letters at once on channel_not_found, and a healthy destination gets a health notice', async () => {
    await start({ channel: 'C0GONE00001' }, [{ events: ['permanent_failure'], to: ['app'] }]);
    await send(webhook('permanent_failure', 1, 'm4'));
    await until(() => webhookSlack.received.length > 0);
    await relay!.idle();
    // One attempt: a broken error is never retried.
    expect(api.callsOf('chat.postMessage')).toHaveLength(1);
    const notice = webhookSlack.received[0]!.json as { text: string };
    expect(notice.text).toContain(HEALTH_PREFIX);
    expect(JSON.stringify(notice)).toContain('channel_not_found');
  });

  it('probes at start with auth.test and conversations.info, posting nothing, and tells of an archived channel', async () => {
    await start({ channel: 'C0ARCHIVED1' }, [{ events: ['permanent_failure'], to: ['app'] }], true);
    expect(api.calls.map((c) => c.method)).toEqual(['auth.test', 'conversations.info']);
    // The webhook destination is probed with `{}`; the notice is the post with text.
    const notices = () => webhookSlack.received.filter((r) => JSON.stringify(r.json).includes(HEALTH_PREFIX));
    await until(() => notices().length > 0);
    expect(JSON.stringify(notices()[0]!.json)).toContain('is_archived');
    expect(api.calls.filter((c) => c.method.startsWith('chat.'))).toEqual([]);
  });

  it('probes with auth.test and conversations.info, posting nothing', async () => {
    const env = { RELAY_SLACK_BOT_TOKEN: BOT_TOKEN, SLACK_API_BASE_URL: api.baseUrl };
    expect(await probeLocalDestination({ name: 'app', channel: CHANNEL }, env)).toEqual({
      status: 'ok',
      reason: 'auth_and_channel_ok',
    });
    expect(await probeLocalDestination({ name: 'app', channel: 'C0ARCHIVED1' }, env)).toMatchObject({
      status: 'broken',
      reason: 'is_archived',
    });
    expect(await probeLocalDestination({ name: 'app', channel: 'C0GONE00001' }, env)).toMatchObject({
      status: 'broken',
      reason: 'channel_not_found',
    });
    api.token = 'xoxb-revoked';
    expect(await probeLocalDestination({ name: 'app', channel: CHANNEL }, env)).toMatchObject({
      status: 'broken',
      reason: 'invalid_auth',
    });
    expect(await probeLocalDestination({ name: 'app', channel: CHANNEL }, {})).toMatchObject({
      reason: 'no_bot_token',
    });
    expect(api.calls.map((c) => c.method).filter((m) => m.startsWith('chat.'))).toEqual([]);
    expect(new Set(api.calls.map((c) => c.method))).toEqual(new Set(['auth.test', 'conversations.info']));
  });
});
