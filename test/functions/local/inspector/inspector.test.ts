import { mkdtempSync } from 'node:fs';
import { checkDestinationUrl } from '../../../../functions/chat';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sampleBody, type SampleName } from '../../../../functions/local/samples';
import { parseRelayConfig } from '../../../../functions/config';
import type { InspectorState, Preview, Receipt } from '../../../../functions/local/inspector/api-types';
import { CONTENT_SECURITY_POLICY } from '../../../../functions/local/inspector/http';
import { startLocalRelay, type LocalRelay } from '../../../../functions/local/relay-server';
import { silentLogger } from '../../../../functions/observability';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../../../support/fake-chat-server';

let slack: FakeChatServer;
let relay: LocalRelay;
let inspector: URL;

beforeAll(async () => {
  slack = await startFakeChatServer(SLACK_OK, '/services/T1/B1/ops');
  const config = parseRelayConfig(
    {
      destinations: [
        // Unpaced, so that tests do not wait out Slack's one post a second.
        { name: 'ops', kind: 'slack', url: slack.url, rateLimit: { messagesPerSecond: 1000 } },
        { name: 'terminal', kind: 'console', detail: 'recipient' },
      ],
      routes: [{ events: ['permanent_failure'], to: ['ops', 'terminal'] }],
    },
    'local',
    checkDestinationUrl,
  );
  relay = await startLocalRelay({
    config,
    token: 'inspector-test-token',
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    write: () => undefined,
    dataDir: mkdtempSync(join(tmpdir(), 'relay-inspector-')),
  });
  inspector = new URL(relay.inspectorUrl!);
});

afterAll(async () => {
  await relay?.close();
  await slack?.close();
});

beforeEach(async () => {
  await relay.idle();
  slack.received.length = 0;
  slack.script.length = 0;
});

const KEY = () => inspector.searchParams.get('key')!;
/** An inspector URL with the run's key, another key, or (null) none. */
const at = (path: string, key: string | null = KEY()): string =>
  `${inspector.origin}/inspector${path}${key === null ? '' : `${path.includes('?') ? '&' : '?'}key=${key}`}`;
/** A fresh event each time (a new id), so none is skipped as a duplicate. */
const postWebhook = (name: SampleName) =>
  fetch(relay.webhookUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: sampleBody(name, false),
  });

/** A raw request, so that Host and Origin can be anything. */
function raw(path: string, headers: Record<string, string>, method = 'GET'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: inspector.port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('the inspector of the local relay', () => {
  it('prints a loopback URL with a long random key, different on each run', async () => {
    expect(inspector.origin).toBe(relay.baseUrl);
    expect(inspector.pathname).toBe('/inspector/');
    expect(KEY()).toMatch(/^[0-9a-f]{64}$/);
    const other = await startLocalRelay({
      config: parseRelayConfig(
        { destinations: [{ name: 'c', kind: 'console' }], routes: [{ events: ['opened'], to: ['c'] }] },
        'local',
        checkDestinationUrl,
      ),
      token: 'another-token-1',
      fingerprintKey: 'k',
      logger: silentLogger,
      port: 0,
      write: () => undefined,
    });
    expect(new URL(other.inspectorUrl!).searchParams.get('key')).not.toBe(KEY());
    await other.close();
  });

  it.each(['/', '/app.js', '/app.css', '/api/state', '/api/feed', '/api/preview?receipt=1&destination=ops'])(
    'answers GET %s with 401 and no data without the key, or with a wrong one',
    async (path) => {
      await postWebhook('permanent_failure');
      for (const key of [null, 'f'.repeat(64), '']) {
        const response = await fetch(at(path, key));
        expect(response.status).toBe(401);
        expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
        const body = await response.text();
        expect(body).not.toContain('permanent_failure');
        expect(body).not.toContain('clinic.example.com');
      }
    },
  );

  it.each(['/api/samples/permanent_failure', '/api/redrive'])(
    'answers POST %s with 401 without the key, and sends nothing',
    async (path) => {
      const response = await fetch(at(path, null), { method: 'POST', body: '{"destination":"ops"}' });
      expect(response.status).toBe(401);
      await relay.idle();
      expect(slack.received).toHaveLength(0);
    },
  );

  it('serves the page, script and styles with the key, under a policy that allows only its own origin', async () => {
    const page = await fetch(at('/'));
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(CONTENT_SECURITY_POLICY).toMatch(/default-src 'self'/);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-inline|unsafe-eval|https?:|\*/);
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    const html = await page.text();
    expect(html).not.toMatch(/<script>|<style|style=|https?:\/\/(?!www\.w3\.org)/);
    const js = await fetch(at('/app.js'));
    expect(js.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await js.text()).length).toBeGreaterThan(10_000);
    expect((await fetch(at('/app.css'))).status).toBe(200);
  });

  it('refuses another Host (DNS rebinding) even with the key, and a cross-origin POST', async () => {
    const path = `/inspector/api/state?key=${KEY()}`;
    expect((await raw(path, { host: `evil.example:${inspector.port}` })).status).toBe(403);
    expect((await raw(path, { host: `localhost:${inspector.port}` })).status).toBe(200);
    const post = await raw(
      `/inspector/api/samples/opened?key=${KEY()}`,
      { host: inspector.host, origin: 'http://evil.example' },
      'POST',
    );
    expect(post.status).toBe(403);
  });

  it('streams a receipt to open pages within a second of the webhook', async () => {
    const controller = new AbortController();
    const feed = await fetch(at('/api/feed'), { signal: controller.signal });
    expect(feed.headers.get('content-type')).toBe('text/event-stream; charset=utf-8');
    const reader = feed.body!.getReader();
    const started = Date.now();
    await postWebhook('permanent_failure');
    let text = '';
    while (!/event: receipt\ndata: .*"eventType":"permanent_failure"/.test(text)) {
      const { value, done } = await reader.read();
      if (done) break;
      text += Buffer.from(value).toString('utf8');
    }
    expect(Date.now() - started).toBeLessThan(1000);
    controller.abort();
  });

  it('previews exactly the body the destination was sent, and the routing and timeline that led there', async () => {
    await postWebhook('permanent_failure');
    await relay.idle();
    await new Promise((r) => setTimeout(r, 50));
    const state = (await (await fetch(at('/api/state'))).json()) as InspectorState;
    expect(state.displayDetail).toBe('recipient');
    const receipt = state.receipts[0] as Receipt;
    expect(receipt).toMatchObject({ status: 202, answer: 'accepted', eventType: 'permanent_failure' });
    expect(receipt.routing!.map((r) => [r.destination, r.matched, r.routes])).toEqual([
      ['ops', true, [1]],
      ['terminal', true, [1]],
    ]);
    const ops = receipt.deliveries!.find((d) => d.destination === 'ops')!;
    expect(ops.state).toBe('posted');
    expect(ops.timeline.map((t) => t.kind)).toEqual(['queued', 'attempt', 'posted']);
    expect(receipt.facts!.find((f) => f.label === 'Recipient')?.value).toBe('jordan.lee@patients.example.org');

    const preview = (await (await fetch(at(`/api/preview?receipt=${receipt.id}&destination=ops`))).json()) as Preview;
    expect(preview).toMatchObject({
      destination: 'ops',
      detail: 'minimal',
      configuredDetail: 'minimal',
      masked: false,
    });
    expect(preview.alert.body).toEqual(slack.received[0]!.json);
    const full = (await (
      await fetch(at(`/api/preview?receipt=${receipt.id}&destination=ops&detail=full`))
    ).json()) as Preview;
    expect(full.masked).toBe(true);
    expect(JSON.stringify(full)).not.toContain('Your appointment on Tuesday');
    expect(JSON.stringify(full)).toContain('jordan.lee@patients.example.org');
  });

  it('redrives a dead letter to its destination once the channel works again', async () => {
    slack.script.push({ status: 404, body: 'no_service' });
    await postWebhook('permanent_failure');
    await relay.idle();
    let state = (await (await fetch(at('/api/state'))).json()) as InspectorState;
    const letter = state.deadLetters.letters.find((l) => l.reason === 'no_service')!;
    expect(letter).toMatchObject({ destination: 'ops', eventType: 'permanent_failure' });
    expect(JSON.stringify(state.deadLetters)).not.toContain('patients.example.org');

    const moved = await fetch(at('/api/redrive'), {
      method: 'POST',
      headers: { origin: inspector.origin },
      body: JSON.stringify({ destination: 'ops', eventKey: letter.eventKey }),
    });
    expect(await moved.json()).toEqual({ moved: 1 });
    await relay.idle();
    expect(slack.received).toHaveLength(2);
    state = (await (await fetch(at('/api/state'))).json()) as InspectorState;
    expect(state.deadLetters.letters.filter((l) => l.eventKey === letter.eventKey)).toEqual([]);
  });

  it('sends a sample through the real webhook URL', async () => {
    const response = await fetch(at('/api/samples/permanent_failure'), {
      method: 'POST',
      headers: { origin: inspector.origin },
    });
    expect(await response.json()).toEqual({ status: 202, body: expect.stringContaining('"status":"accepted"') });
    await relay.idle();
    expect(slack.received).toHaveLength(1);
  });
});

describe('a relay listening beyond loopback', () => {
  it('serves the inspector on a listener of its own, bound to 127.0.0.1, and nothing under /inspector on the main one', async () => {
    const open = await startLocalRelay({
      config: parseRelayConfig(
        { destinations: [{ name: 'c', kind: 'console' }], routes: [{ events: ['opened'], to: ['c'] }] },
        'local',
        checkDestinationUrl,
      ),
      token: 'open-relay-token',
      fingerprintKey: 'k',
      logger: silentLogger,
      host: '0.0.0.0',
      port: 0,
      write: () => undefined,
    });
    try {
      const url = new URL(open.inspectorUrl!);
      expect(url.hostname).toBe('127.0.0.1');
      expect(url.port).not.toBe(new URL(open.baseUrl).port);
      expect((await fetch(url)).status).toBe(200);
      const main = `http://127.0.0.1:${new URL(open.baseUrl).port}/inspector/${url.search}`;
      expect((await fetch(main)).status).toBe(404);
    } finally {
      await open.close();
    }
  });

  it('serves no inspector when turned off', async () => {
    const off = await startLocalRelay({
      config: parseRelayConfig(
        { destinations: [{ name: 'c', kind: 'console' }], routes: [{ events: ['opened'], to: ['c'] }] },
        'local',
        checkDestinationUrl,
      ),
      token: 'no-inspector-token',
      fingerprintKey: 'k',
      logger: silentLogger,
      port: 0,
      inspector: false,
      write: () => undefined,
    });
    expect(off.inspectorUrl).toBeUndefined();
    expect((await fetch(`${off.baseUrl}/inspector/`)).status).toBe(404);
    await off.close();
  });
});
