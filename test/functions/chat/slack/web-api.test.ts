import { DeliveryError } from '../../../../functions/chat/errors';
import { slackWebApi } from '../../../../functions/chat/slack/web-api';
import { startFakeChatServer, type FakeChatServer } from '../../../support/fake-chat-server';
import { startSilentServer } from '../../../support/silent-server';

const TOKEN = 'xoxb-test-token';

describe('slackWebApi', () => {
  let server: FakeChatServer;
  const api = (timeoutMs = 5000) =>
    slackWebApi({ token: TOKEN, baseUrl: `${new URL(server.url).origin}/api/`, timeoutMs });
  const failure = (method: string) =>
    api()
      .call(method, { channel: 'C1' })
      .catch((error: unknown) => error as DeliveryError);

  beforeEach(async () => {
    server = await startFakeChatServer({ status: 200, body: '{"ok":true,"ts":"1700000000.000100"}' }, '/api');
  });
  afterEach(() => server.close());

  it('posts form-encoded arguments with the token in the Authorization header only, objects as JSON', async () => {
    const reply = await api().call('chat.postMessage', {
      channel: 'C123',
      text: 'a & b',
      blocks: [{ type: 'section' }],
      unfurl_links: false,
      thread_ts: undefined,
    });
    expect(reply.ts).toBe('1700000000.000100');
    const request = server.received[0]!;
    expect(request.path).toBe('/api/chat.postMessage');
    expect(request.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(request.headers['content-type']).toMatch(/^application\/x-www-form-urlencoded/);
    const form = new URLSearchParams(request.raw);
    expect(Object.fromEntries(form)).toEqual({
      channel: 'C123',
      text: 'a & b',
      blocks: '[{"type":"section"}]',
      unfurl_links: 'false',
    });
    expect(request.raw).not.toContain(TOKEN);
  });

  it.each([
    ['channel_not_found', false],
    ['not_in_channel', false],
    ['is_archived', false],
    ['invalid_auth', false],
    ['token_revoked', false],
    ['account_inactive', false],
    ['invalid_blocks', false],
    ['internal_error', true],
    ['service_unavailable', true],
  ])('a 200 with "ok": false and %s is a DeliveryError, retryable: %s', async (code, retryable) => {
    server.script.push({ status: 200, body: JSON.stringify({ ok: false, error: code }) });
    const error = await failure('chat.postMessage');
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({ reason: code, retryable });
  });

  it('reads ratelimited, as a 200 or a 429, with its Retry-After', async () => {
    server.script.push(
      { status: 200, body: '{"ok":false,"error":"ratelimited"}', headers: { 'retry-after': '3' } },
      { status: 429, body: '{"ok":false,"error":"ratelimited"}', headers: { 'retry-after': '7' } },
    );
    expect(await failure('chat.postMessage')).toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 3,
    });
    expect(await failure('chat.postMessage')).toMatchObject({
      reason: 'rate_limited',
      retryable: true,
      retryAfterSeconds: 7,
    });
  });

  it('never repeats an error text that is not a Slack code, and retries a 5xx', async () => {
    server.script.push(
      { status: 200, body: '{"ok":false,"error":"<b>jane@example.org</b>"}' },
      { status: 503, body: '<html>down</html>' },
    );
    expect(await failure('auth.test')).toMatchObject({ reason: 'unknown_error', retryable: false });
    expect(await failure('auth.test')).toMatchObject({ reason: 'http_503', retryable: true, status: 503 });
  });

  it('does not resend a 2xx it cannot read: whether it posted is unknown', async () => {
    server.script.push({ status: 200, body: 'ok' });
    expect(await failure('chat.postMessage')).toMatchObject({ reason: 'unreadable_reply', retryable: false });
  });

  it('classifies a reply that never comes as a timeout after the request left', async () => {
    const silent = await startSilentServer();
    try {
      const error = await slackWebApi({ token: TOKEN, baseUrl: `${silent.url}/`, timeoutMs: 100 })
        .call('chat.postMessage', {})
        .catch((e: unknown) => e);
      expect(error).toMatchObject({ reason: 'timeout', retryable: true });
    } finally {
      await silent.close();
    }
  });
});
