import { PostFailure } from '../../../functions/chat/errors';
import { post } from '../../../functions/chat/http-post';
import { startFakeChatServer } from '../../support/fake-chat-server';
import { startSilentServer } from '../../support/silent-server';

describe('post', () => {
  it('POSTs the body with its length and returns the status, headers and body of the answer', async () => {
    const server = await startFakeChatServer({ status: 429, body: 'rate_limited', headers: { 'retry-after': '7' } });
    try {
      const reply = await post(server.url, '{"text":"é"}', { 'content-type': 'application/json' }, 5000);
      expect(reply).toMatchObject({ status: 429, body: 'rate_limited' });
      expect(reply.headers['retry-after']).toBe('7');
      expect(server.received[0]).toMatchObject({ method: 'POST', raw: '{"text":"é"}' });
      expect(server.received[0]!.headers['content-length']).toBe(String(Buffer.byteLength('{"text":"é"}')));
    } finally {
      await server.close();
    }
  });

  it('keeps at most 64 KB of an answer', async () => {
    const server = await startFakeChatServer({ status: 200, body: 'x'.repeat(200 * 1024) });
    try {
      expect((await post(server.url, '{}', {}, 5000)).body.length).toBeLessThanOrEqual(64 * 1024);
    } finally {
      await server.close();
    }
  });

  it('fails with a timeout after the request was sent when no answer comes', async () => {
    const server = await startSilentServer();
    try {
      const failure = await post(server.url, '{}', {}, 200).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(PostFailure);
      expect(failure).toMatchObject({ code: 'timeout', requestSent: true });
    } finally {
      await server.close();
    }
  });

  it('fails with a network error, nothing sent, when nobody listens', async () => {
    const server = await startSilentServer();
    await server.close();
    await expect(post(server.url, '{}', {}, 2000)).rejects.toMatchObject({ code: 'network_error', requestSent: false });
  });
});
