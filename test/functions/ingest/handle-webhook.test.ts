import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EventPublisher } from '../../../functions/ingest/event-publisher';
import { handleWebhook, MAX_BODY_BYTES } from '../../../functions/ingest/handle-webhook';
import { type RelayEvent, parseSigningSecret, signWebhook } from '../../../functions/paubox';
import type { RoutingAttributes } from '../../../functions/routing';
import { memorySelfTestRecords, newSelfTestNonce, selfTestBody } from '../../../functions/ingest';
import { captureLogger } from '../../support/capture-logger';

const TOKEN = 'a'.repeat(48);
const body = (name: string): string =>
  readFileSync(join(__dirname, '..', '..', 'fixtures', 'paubox', `${name}.json`), 'utf8');

function setup(publish?: EventPublisher['publish']) {
  const published: { event: RelayEvent; attributes: RoutingAttributes }[] = [];
  const logger = captureLogger();
  const metrics: string[] = [];
  const deps = {
    metric: (name: string, value: number, dimensions?: { Reason?: string; EventType?: string }) => {
      metrics.push(`${name}=${value}${dimensions?.Reason ? ` ${dimensions.Reason}` : ''}`);
    },
    expectedTokens: async () => [TOKEN],
    publisher: {
      publish:
        publish ??
        (async (event: RelayEvent, attributes: RoutingAttributes) => {
          published.push({ event, attributes });
        }),
    },
    logger,
  };
  const send = (request: { token?: string; body?: string; isBase64Encoded?: boolean }) =>
    handleWebhook({ token: TOKEN, receivedAt: new Date(), body: undefined, ...request }, deps);
  return { published, logger, send, deps, metrics };
}

describe('handleWebhook', () => {
  it('records a self-test with the right token, before any signature check, and publishes nothing', async () => {
    const { published, send, deps } = setup();
    const selfTests = memorySelfTestRecords();
    const nonce = newSelfTestNonce();
    const signed = { ...deps, selfTests, signingKey: async () => Buffer.alloc(32, 1) };
    const answer = (token: string) =>
      handleWebhook({ token, receivedAt: new Date(), body: selfTestBody(nonce, new Date()) }, signed);
    expect((await answer('b'.repeat(48))).statusCode).toBe(401);
    expect(await selfTests.wasRead(nonce)).toBe(false);
    expect(await answer(TOKEN)).toEqual({
      statusCode: 202,
      body: { status: 'self_test', id: nonce, message: 'self-test read; nothing relayed' },
    });
    expect(await selfTests.wasRead(nonce)).toBe(true);
    expect(published).toEqual([]);
    // Without a place to record it, a self-test is an unknown event_name: ignored, never relayed.
    expect((await send({ body: selfTestBody(nonce, new Date()) })).body.status).toBe('ignored');
    expect(published).toEqual([]);
  });

  it('publishes a valid event with its routing attributes and answers 202 with its id', async () => {
    const { published, send } = setup();
    const response = await send({ body: body('permanent_failure') });
    expect(response.statusCode).toBe(202);
    expect(published).toHaveLength(1);
    expect(published[0]!.attributes).toEqual({
      event_type: 'permanent_failure',
      sender_domain: 'mail.clinic.example.com',
    });
    expect(response.body).toEqual({ status: 'accepted', id: published[0]!.event.key });
  });

  it('decodes base64 bodies, as API Gateway sends for some content types', async () => {
    const { published, send } = setup();
    const response = await send({ body: Buffer.from(body('opened')).toString('base64'), isBase64Encoded: true });
    expect(response.statusCode).toBe(202);
    expect(published[0]!.event.type).toBe('opened');
  });

  it.each([
    ['a wrong token', 'b'.repeat(48)],
    ['a prefix of the token', TOKEN.slice(0, 47)],
    ['no token', undefined],
  ])('answers 401 to %s and does not read the body', async (_label, token) => {
    const { published, send } = setup();
    const response = await send({ token, body: '{not json' });
    expect(response.statusCode).toBe(401);
    expect(response.body.error).toBe('unauthorized');
    expect(published).toHaveLength(0);
  });

  it('accepts any of the currently valid tokens', async () => {
    const { published, deps } = setup();
    const response = await handleWebhook(
      { token: 'previous-token', body: body('opened'), receivedAt: new Date() },
      { ...deps, expectedTokens: async () => [TOKEN, 'previous-token'] },
    );
    expect(response.statusCode).toBe(202);
    expect(published).toHaveLength(1);
  });

  it('answers 400 malformed_json to a body that is not JSON', async () => {
    const response = await setup().send({ body: '{"event_name": ' });
    expect(response).toEqual({ statusCode: 400, body: { error: 'malformed_json', message: 'body is not valid JSON' } });
  });

  it('answers 400 invalid_payload naming the field, without echoing the payload', async () => {
    const invalid = JSON.parse(body('permanent_failure'));
    invalid.payload.to = 'jordan.lee-at-patients.example.org';
    const { send, logger } = setup();
    const response = await send({ body: JSON.stringify(invalid) });
    expect(response).toEqual({
      statusCode: 400,
      body: {
        error: 'invalid_payload',
        field: 'payload.to',
        message: 'payload.to: expected an e-mail address such as name@example.com',
      },
    });
    expect(JSON.stringify(response)).not.toContain('jordan');
    expect(logger.text()).not.toContain('jordan');
  });

  it('answers 400 to a deeply nested body, naming the limit and not the content', async () => {
    const deep = `{"event_name":"api_mail_log_opened","payload":{"x":${'['.repeat(5000)}"jordan"${']'.repeat(5000)}}}`;
    const response = await setup().send({ body: deep });
    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ error: 'invalid_payload', field: 'body' });
    expect(response.body.message).toContain('levels of nested');
    expect(JSON.stringify(response)).not.toContain('jordan');
  });

  it('answers 413 to a body over the limit', async () => {
    const response = await setup().send({ body: `{"pad":"${'x'.repeat(MAX_BODY_BYTES)}"}` });
    expect(response.statusCode).toBe(413);
  });

  it('answers 202 to an unknown event_name, publishes nothing, and logs and counts it', async () => {
    const { published, send, logger, metrics } = setup();
    const response = await send({ body: JSON.stringify({ event_name: 'api_mail_log_clicked <script>', payload: {} }) });
    expect(metrics).toEqual(['UnknownEventName=1']);
    expect(response.statusCode).toBe(202);
    expect(response.body.status).toBe('ignored');
    expect(published).toHaveLength(0);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        fields: expect.objectContaining({ metric: 'UnknownEventName', count: 1, reason: 'not a Paubox event name' }),
      }),
    );
  });

  it('logs an unknown event name only when it has the shape of a Paubox event name', async () => {
    const { send, logger } = setup();
    await send({ body: JSON.stringify({ event_name: 'api_mail_log_clicked', payload: {} }) });
    await send({ body: JSON.stringify({ event_name: 'api_mail_log_jordan-lee-1984', payload: {} }) });
    expect(logger.lines.map((l) => l.fields.reason)).toEqual(['api_mail_log_clicked', 'not a Paubox event name']);
  });

  it('answers 503 when the event cannot be published, so it is not reported as accepted', async () => {
    const { send } = setup(async () => {
      throw new Error('ServiceUnavailable');
    });
    const response = await send({ body: body('permanent_failure') });
    expect(response.statusCode).toBe(503);
    expect(response.body.error).toBe('unavailable');
  });

  it('answers 503 when the token cannot be read', async () => {
    const { deps } = setup();
    const response = await handleWebhook(
      { token: TOKEN, body: body('opened'), receivedAt: new Date() },
      { ...deps, expectedTokens: async () => Promise.reject(new Error('throttled')) },
    );
    expect(response.statusCode).toBe(503);
  });

  it('logs accepted events by key, type and sender domain only', async () => {
    const { send, logger } = setup();
    await send({ body: body('permanent_failure') });
    const text = logger.text();
    expect(text).toContain('mail.clinic.example.com');
    for (const phi of ['jordan.lee', 'Your appointment', 'north', TOKEN]) expect(text).not.toContain(phi);
  });
});

describe('handleWebhook with signatures required', () => {
  const KEY = parseSigningSecret(`whsec_${Buffer.from('a signing key of 32 random bytes').toString('base64')}`);
  const NOW = new Date('2026-11-20T12:00:00.000Z');
  const signed = (raw: string, key = KEY, at = NOW) => {
    const timestamp = String(Math.floor(at.getTime() / 1000));
    return {
      'webhook-id': 'msg_1',
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signWebhook(key, 'msg_1', timestamp, Buffer.from(raw))}`,
    };
  };
  const run = (
    headers: Record<string, string> | undefined,
    raw = body('permanent_failure'),
    signingKey = async () => KEY,
  ) => {
    const { deps, published, logger, metrics } = setup();
    const response = handleWebhook({ token: TOKEN, body: raw, headers, receivedAt: NOW }, { ...deps, signingKey });
    return { response, published, logger, metrics };
  };

  it('accepts a signed webhook', async () => {
    const { response, published } = run(signed(body('permanent_failure')));
    expect((await response).statusCode).toBe(202);
    expect(published).toHaveLength(1);
  });

  it('verifies the bytes as sent when API Gateway base64-encodes the body', async () => {
    const raw = body('opened');
    const { deps, published } = setup();
    const response = await handleWebhook(
      {
        token: TOKEN,
        body: Buffer.from(raw).toString('base64'),
        isBase64Encoded: true,
        headers: signed(raw),
        receivedAt: NOW,
      },
      { ...deps, signingKey: async () => KEY },
    );
    expect(response.statusCode).toBe(202);
    expect(published).toHaveLength(1);
  });

  it.each([
    ['no signature', undefined, 'missing webhook-id'],
    [
      'a signature made with another key',
      signed(
        body('permanent_failure'),
        parseSigningSecret(`whsec_${Buffer.from('another key of thirty-two bytes!').toString('base64')}`),
      ),
      'does not match',
    ],
    [
      'a replayed signature from 10 minutes ago',
      signed(body('permanent_failure'), KEY, new Date(NOW.getTime() - 600_000)),
      'more than 5 minutes',
    ],
  ])('answers 401 invalid_signature to %s, publishes nothing, and counts it', async (_label, headers, message) => {
    const { response, published, metrics, logger } = run(headers);
    const result = await response;
    expect(result.statusCode).toBe(401);
    expect(result.body).toEqual({ error: 'invalid_signature', message: expect.stringContaining(message) });
    expect(published).toHaveLength(0);
    expect(metrics).toEqual(['WebhooksRejected=1 invalid_signature']);
    expect(logger.text()).not.toContain('jordan.lee');
  });

  it('answers 401 to a wrong token before looking at the signature', async () => {
    const { deps } = setup();
    let keyRead = false;
    const response = await handleWebhook(
      { token: 'wrong', body: body('permanent_failure'), headers: signed(body('permanent_failure')), receivedAt: NOW },
      {
        ...deps,
        signingKey: async () => {
          keyRead = true;
          return KEY;
        },
      },
    );
    expect(response.body.error).toBe('unauthorized');
    expect(keyRead).toBe(false);
  });

  it('answers 503, never accepting unverified webhooks, when the signing secret is unusable', async () => {
    const { response, published, logger } = run(
      signed(body('permanent_failure')),
      body('permanent_failure'),
      async () => {
        throw new Error('the signing secret must be the whsec_… value');
      },
    );
    expect((await response).statusCode).toBe(503);
    expect(published).toHaveLength(0);
    expect(logger.lines).toContainEqual(
      expect.objectContaining({ level: 'error', fields: expect.objectContaining({ status: 503 }) }),
    );
  });
});
