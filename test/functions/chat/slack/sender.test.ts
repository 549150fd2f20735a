import { toAlertView } from '../../../../functions/alerts';
import { DeliveryError } from '../../../../functions/chat/errors';
import { renderSlackView } from '../../../../functions/chat/slack/render-view';
import { slackSender } from '../../../../functions/chat/slack/sender';
import { fixtureEvent } from '../../../support/events';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../../../support/fake-chat-server';
import { startSilentServer } from '../../../support/silent-server';

const view = toAlertView(fixtureEvent('permanent_failure'), {
  destination: 'ops',
  detail: 'minimal',
  fingerprintKey: 'k',
});

describe('slackSender', () => {
  let server: FakeChatServer;
  beforeEach(async () => {
    server = await startFakeChatServer(SLACK_OK);
  });
  afterEach(() => server.close());

  it('posts the Block Kit message as JSON', async () => {
    await slackSender(server.url, { timeoutMs: 5000 }).send(view);
    expect(server.received[0]!.headers['content-type']).toMatch(/^application\/json/);
    expect(server.received[0]!.json).toEqual(JSON.parse(JSON.stringify(renderSlackView(view))));
  });

  it("reads a 429's Retry-After, which @slack/webhook does not expose", async () => {
    server.script.push({ status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } });
    await expect(slackSender(server.url, { timeoutMs: 5000 }).send(view)).rejects.toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      status: 429,
      retryAfterSeconds: 7,
    });
  });

  it("gives up on Slack's error codes that never succeed, and keeps 5xx for later", async () => {
    server.script.push({ status: 404, body: 'no_service' }, { status: 503, body: 'service_unavailable' });
    const sender = slackSender(server.url, { timeoutMs: 5000 });
    await expect(sender.send(view)).rejects.toMatchObject({ reason: 'no_service', retryable: false, status: 404 });
    await expect(sender.send(view)).rejects.toMatchObject({
      reason: 'service_unavailable',
      retryable: true,
      status: 503,
    });
  });

  it('calls a reply that never came a timeout, since Slack may have posted it', async () => {
    const silent = await startSilentServer();
    try {
      const failure = await slackSender(silent.url, { timeoutMs: 200 })
        .send(view)
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DeliveryError);
      expect(failure).toMatchObject({ reason: 'timeout', retryable: true });
    } finally {
      await silent.close();
    }
  });
});
