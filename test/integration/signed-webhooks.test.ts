import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRelayConfig } from '../../functions/config';
import { checkDestinationUrl } from '../../functions/chat';
import { silentLogger } from '../../functions/observability';
import { parseSigningSecret, signWebhook } from '../../functions/paubox';
import { localSettings, startLocalRelay, type LocalRelay } from '../../functions/local';

const SECRET = `whsec_${Buffer.from('local signing key, 32 bytes long').toString('base64')}`;
const BODY = JSON.stringify({
  event_name: 'api_mail_log_delivered',
  payload: { id: 7, from: 'a@mail.clinic.example.com', to: 'b@patients.example.org', time: '2026-11-20T14:03:11.482Z' },
});
let relay: LocalRelay;

beforeAll(async () => {
  relay = await startLocalRelay({
    config: parseRelayConfig(
      { destinations: [{ name: 't', kind: 'console' }], routes: [{ events: ['permanent_failure'], to: ['t'] }] },
      'local',
      checkDestinationUrl,
    ),
    token: 'signed-relay-token',
    signingSecret: SECRET,
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    write: () => undefined,
  });
});
afterAll(() => relay?.close());

const post = (headers: Record<string, string>) =>
  fetch(relay.webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: BODY });

describe('local relay with signatures required', () => {
  it('accepts a webhook signed over the exact bytes sent', async () => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(parseSigningSecret(SECRET), 'msg_9', timestamp, Buffer.from(BODY));
    const response = await post({
      'webhook-id': 'msg_9',
      'webhook-timestamp': timestamp,
      'webhook-signature': `v1,${signature}`,
    });
    expect(response.status).toBe(202);
  });

  it('answers 401 invalid_signature to an unsigned webhook with the right token', async () => {
    const response = await post({});
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({
      error: 'invalid_signature',
      message: 'missing webhook-id, webhook-timestamp or webhook-signature header',
    });
  });
});

describe('local settings for signatures', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relay-signing-'));
  const configFile = (verifySignatures: boolean) => {
    const path = join(dir, `config-${verifySignatures}.json`);
    writeFileSync(
      path,
      JSON.stringify({
        destinations: [{ name: 't', kind: 'console' }],
        routes: [{ events: ['permanent_failure'], to: ['t'] }],
        ingest: { verifySignatures },
      }),
    );
    return path;
  };

  it('takes RELAY_SIGNING_SECRET when the configuration asks for signatures', () => {
    expect(localSettings({ RELAY_CONFIG: configFile(true), RELAY_SIGNING_SECRET: SECRET }, dir).signingSecret).toBe(
      SECRET,
    );
  });

  it.each([
    ['signatures required but no secret', { RELAY_CONFIG: configFile(true) }, 'set RELAY_SIGNING_SECRET'],
    [
      'a secret but signatures not required',
      { RELAY_CONFIG: configFile(false), RELAY_SIGNING_SECRET: SECRET },
      'ingest.verifySignatures',
    ],
    [
      'a secret that is not whsec_',
      { RELAY_CONFIG: configFile(true), RELAY_SIGNING_SECRET: 'hunter2hunter2' },
      'whsec_',
    ],
  ])('refuses to start with %s, saying what to do', (_label, env, message) => {
    expect(() => localSettings(env, dir)).toThrow(message);
    try {
      localSettings(env, dir);
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
