import { type RateNotice, toAlertView } from '../../../../functions/alerts';
import { DeliveryError } from '../../../../functions/chat/errors';
import { slackActionsOf } from '../../../../functions/chat/slack/app-render';
import { slackAppSender, threadKeyOf } from '../../../../functions/chat/slack/app-sender';
import { MemoryThreadStore } from '../../../../functions/chat/slack/threads';
import { DETAIL_LEVELS } from '../../../../functions/config';
import { fixtureEvent } from '../../../support/events';
import { type FakeSlackApi, slackRateLimited, startFakeSlackApi } from '../../../support/fake-slack-api';

const TOKEN = 'xoxb-sender-test';
const CHANNEL = 'C0FAKECHAN1';
const options = { destination: 'app', detail: 'minimal' as const, fingerprintKey: 'k' };

describe('slackAppSender', () => {
  let api: FakeSlackApi;
  let threads: MemoryThreadStore;
  const sender = () =>
    slackAppSender({
      destination: 'app',
      credentials: async () => ({ botToken: TOKEN, channel: CHANNEL, apiBaseUrl: api.baseUrl }),
      threads,
      timeoutMs: 2000,
    });

  beforeEach(async () => {
    api = await startFakeSlackApi({ token: TOKEN });
    threads = new MemoryThreadStore();
  });
  afterEach(() => api.close());

  it('rejects a ratelimited answer as rate_limited with its Retry-After, posting nothing and keeping no thread', async () => {
    api.fail('chat.postMessage', slackRateLimited(7));
    const view = toAlertView(fixtureEvent('permanent_failure'), options);
    const error = (await sender()
      .send(view)
      .catch((e: unknown) => e)) as DeliveryError;
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ reason: 'rate_limited', retryable: true, retryAfterSeconds: 7 });
    await expect(threads.get('app', threadKeyOf(view)!)).resolves.toBeUndefined();
  });

  it('rejects a 200 with ok:false as a classified, non-retryable failure', async () => {
    api.fail('chat.postMessage', { error: 'token_revoked' });
    const error = (await sender()
      .send(toAlertView(fixtureEvent('permanent_failure'), options))
      .catch((e: unknown) => e)) as DeliveryError;
    expect(error).toMatchObject({ reason: 'token_revoked', retryable: false, status: 200 });
  });

  it('replies in the thread without rewriting the first alert when the story does not turn', async () => {
    const hard = toAlertView(fixtureEvent('permanent_failure'), options);
    await sender().send(hard);
    await sender().send({ ...hard, key: 'again' });
    expect(api.callsOf('chat.update')).toHaveLength(0);
    expect(api.callsOf('chat.postMessage').map((c) => c.args.thread_ts)).toEqual([undefined, '1700000000.000100']);
  });

  it('posts a test alert and a digest on their own, with no buttons and no thread', async () => {
    const test = toAlertView({ ...fixtureEvent('permanent_failure'), test: true }, options);
    expect(threadKeyOf(test)).toBeUndefined();
    expect(slackActionsOf(test)).toEqual([]);
    await sender().send(test);
    await sender().send(test);
    expect(api.callsOf('chat.postMessage').map((c) => c.args.thread_ts)).toEqual([undefined, undefined]);
  });

  it("keeps a bounce-rate alert's thread: reminders reply, the resolution rewrites the first without its buttons", async () => {
    const rate = (state: RateNotice['state'], at: string): RateNotice => ({
      sending: 'rate',
      key: `rate-${state}`,
      state,
      level: 'alert',
      senderDomain: 'mail.clinic.example.com',
      hard: 9,
      total: 100,
      soft: 1,
      windowHours: 24,
      topRecipientDomains: [{ domain: 'patients.example.org', count: 9 }],
      since: '2026-11-20T14:00:00.000Z',
      at,
    });
    await sender().send(rate('problem', '2026-11-20T14:00:00.000Z'));
    await sender().send({ ...rate('reminder', '2026-11-20T18:00:00.000Z'), reminder: 1 });
    await sender().send(rate('resolved', '2026-11-20T20:00:00.000Z'));
    const posts = api.callsOf('chat.postMessage');
    expect(posts.map((c) => c.args.thread_ts)).toEqual([undefined, '1700000000.000100', '1700000000.000100']);
    const buttons = (c: { args: Readonly<Record<string, unknown>> }) => JSON.stringify(c.args).includes('relay_ack');
    expect(buttons(posts[0]!)).toBe(true);
    expect(posts.slice(1).some(buttons)).toBe(false);
    const updates = api.callsOf('chat.update');
    expect(updates).toHaveLength(1);
    expect(updates[0]!.args.ts).toBe('1700000000.000100');
    expect(buttons(updates[0]!)).toBe(false);
  });

  it.each(DETAIL_LEVELS)('never puts an address in a button, at detail %s', (detail) => {
    const event = fixtureEvent('permanent_failure');
    const actions = slackActionsOf(toAlertView(event, { ...options, detail }));
    expect(actions.map((a) => a.name)).toEqual(['acknowledge', 'muteRecipient', 'muteSenderDomain']);
    for (const address of event.recipients) expect(JSON.stringify(actions)).not.toContain(address);
  });
});
