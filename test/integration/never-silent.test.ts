import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../functions/cli';
import { checkDestinationUrl } from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { captureIo } from '../support/deployed-stack';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';

/*
 * Nothing fails silently: a revoked webhook is found without posting, an unreadable webhook with the right token
 * is kept, display names with commas are delivered, and a caller without the token cannot hold a connection.
 */

const TOKEN = 'never-silent-test-token';
const fixture = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'paubox', 'permanent_failure.json'), 'utf8'),
) as { event_name: string; payload: Record<string, unknown> };

let live: FakeChatServer;
let revoked: FakeChatServer;
let relay: LocalRelay;
let dataDir: string;
let configPath: string;

beforeAll(async () => {
  live = await startFakeChatServer(SLACK_OK, '/services/T1/live');
  revoked = await startFakeChatServer({ status: 404, body: 'no_service' }, '/services/T1/revoked');
  dataDir = mkdtempSync(join(tmpdir(), 'never-silent-'));
  const raw = {
    destinations: [
      { name: 'live', kind: 'slack', url: live.url, rateLimit: { messagesPerSecond: 1000 } },
      { name: 'revoked', kind: 'slack', url: revoked.url },
    ],
    routes: [{ events: ['permanent_failure'], to: ['live'] }],
  };
  configPath = join(dataDir, 'relay.config.json');
  writeFileSync(configPath, JSON.stringify(raw));
  relay = await startLocalRelay({
    config: parseRelayConfig(raw, 'local', checkDestinationUrl),
    token: TOKEN,
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    dataDir,
    healthSettleMs: 60_000,
  });
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([live, revoked].map((s) => s?.close()));
});

const send = (body: string, url = relay.webhookUrl) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });

const env = () => ({ RELAY_CONFIG: configPath, RELAY_DATA_DIR: dataDir, RELAY_TOKEN: TOKEN });

/** Sends raw request bytes; resolves with the status line and how long it took to arrive. */
function rawRequest(head: string): Promise<{ statusLine: string; ms: number }> {
  const { port } = new URL(relay.baseUrl);
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(head));
    socket.once('data', (data) => {
      resolve({ statusLine: data.toString('latin1').split('\r\n')[0]!, ms: Date.now() - started });
      socket.destroy();
    });
    socket.once('error', reject);
  });
}

describe('check-destinations --local', () => {
  it('reports the revoked webhook broken and the live one ok, posts nothing with text, and exits 1', async () => {
    live.script.push({ status: 400, body: 'no_text' });
    const io = { ...captureIo(), env: env() };
    const code = await runCli(['check-destinations', '--local'], io);
    expect(code).toBe(1);
    expect(io.stdout()).toMatch(/^live \(slack\): ok \(no_text\)$/m);
    expect(io.stdout()).toMatch(/^revoked \(slack\): BROKEN \(no_service\); fix: npx paubox-relay set-destination/m);
    for (const request of [...live.received, ...revoked.received]) expect(request.json).toEqual({});
  });
});

describe('the quarantine', () => {
  it('keeps an unreadable body with the right token, answers 202 quarantined, and lists it without its body', async () => {
    const bodies = ['{"event_name": ', JSON.stringify({ ...fixture, payload: { ...fixture.payload, to: 'jo@' } })];
    const ids: string[] = [];
    for (const body of bodies) {
      const response = await send(body);
      expect(response.status).toBe(202);
      const answer = (await response.json()) as { status: string; id: string };
      expect(answer.status).toBe('quarantined');
      ids.push(answer.id);
    }
    const file = join(dataDir, 'quarantine', 'webhooks.jsonl');
    expect(statSync(file).mode & 0o777).toBe(0o600);

    const io = { ...captureIo(), env: env() };
    expect(await runCli(['quarantine', '--local'], io)).toBe(0);
    for (const id of ids) expect(io.stdout()).toContain(id);
    expect(io.stdout()).toContain('malformed_json');
    expect(io.stdout()).toContain('invalid_payload: payload.to');
    expect(io.stdout()).not.toContain('jo@');
  });

  it('still answers 401 to a wrong token, keeping nothing', async () => {
    const response = await send('{"event_name": ', `${relay.baseUrl}/paubox/wrong-token-value`);
    expect(response.status).toBe(401);
  });
});

describe('lenient ingest', () => {
  it('delivers a `to` holding "Doe, John" <…>', async () => {
    const before = live.received.length;
    const payload = { ...fixture.payload, id: 777, to: '"Doe, John" <john.doe@patients.example.org>' };
    const response = await send(JSON.stringify({ ...fixture, payload }));
    expect(response.status).toBe(202);
    expect(((await response.json()) as { status: string }).status).toBe('accepted');
    await relay.idle();
    expect(live.received.length).toBe(before + 1);
    expect(JSON.stringify(live.received.at(-1)!.json)).toContain('patients.example.org');
  });

  it.each(['constructor', '__proto__', 'toString'])('answers 202 ignored to the event name %s', async (name) => {
    const response = await send(JSON.stringify({ event_name: name, payload: fixture.payload }));
    expect(response.status).toBe(202);
    expect(((await response.json()) as { status: string }).status).toBe('ignored');
  });
});

describe('the token is checked before the body is read', () => {
  const head = (token: string, headers: string) =>
    `POST /paubox/${token} HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${headers}\r\n`;

  it('answers 401 within a second to a wrong token whose declared body never comes', async () => {
    const { statusLine, ms } = await rawRequest(head('wrong-token-value', 'Content-Length: 5000\r\n'));
    expect(statusLine).toBe('HTTP/1.1 401 Unauthorized');
    expect(ms).toBeLessThan(1000);
  });

  it('answers 401, not 100 Continue, to Expect: 100-continue with a wrong token', async () => {
    const headers = 'Content-Length: 50\r\nExpect: 100-continue\r\n';
    expect((await rawRequest(head('wrong-token-value', headers))).statusLine).toBe('HTTP/1.1 401 Unauthorized');
    expect((await rawRequest(head(TOKEN, headers))).statusLine).toBe('HTTP/1.1 100 Continue');
  });

  it('answers 413 to a declared length over 64 KB without reading it', async () => {
    const { statusLine, ms } = await rawRequest(head(TOKEN, `Content-Length: ${64 * 1024 + 1}\r\n`));
    expect(statusLine).toBe('HTTP/1.1 413 Payload Too Large');
    expect(ms).toBeLessThan(1000);
  });
});
