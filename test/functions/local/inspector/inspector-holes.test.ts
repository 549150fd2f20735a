import { request } from 'node:http';
import { checkDestinationUrl } from '../../../../functions/chat';
import { parseRelayConfig } from '../../../../functions/config';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Feed, MAX_FEED_CLIENTS } from '../../../../functions/local/inspector/http';
import { startLocalRelay, type LocalRelay } from '../../../../functions/local/relay-server';
import { captureLogger } from '../../../support/capture-logger';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../../../support/fake-chat-server';

/* The inspector's small holes, each closed: malformed escapes, HEAD, too many live feeds, changes without Origin. */
const logger = captureLogger();
let slack: FakeChatServer;
let relay: LocalRelay;
let inspector: URL;

beforeAll(async () => {
  slack = await startFakeChatServer(SLACK_OK, '/services/T1/B1/holes');
  relay = await startLocalRelay({
    config: parseRelayConfig(
      {
        destinations: [{ name: 'ops', kind: 'slack', url: slack.url, rateLimit: { messagesPerSecond: 1000 } }],
        routes: [{ events: ['permanent_failure'], to: ['ops'] }],
      },
      'local',
      checkDestinationUrl,
    ),
    token: 'inspector-holes-token',
    fingerprintKey: 'k',
    logger,
    port: 0,
    write: () => undefined,
  });
  inspector = new URL(relay.inspectorUrl!);
});

afterAll(async () => {
  await relay?.close();
  await slack?.close();
});

const key = () => inspector.searchParams.get('key')!;
const path = (p: string) => `/inspector${p}?key=${key()}`;

interface Answer {
  readonly status: number;
  readonly body: string;
}

/** A raw request: the path is sent as it is, Origin only when given. */
function raw(method: string, p: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port: inspector.port, method, path: p, headers: { host: inspector.host, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.setTimeout(3000, () => req.destroy(new Error(`no answer to ${method} ${p}`)));
    req.on('error', reject);
    req.end();
  });
}

/** Opens a live feed on `port` and resolves once its headers came; `closed` tells when the server ended it. */
function openFeed(port: number, method = 'GET'): Promise<{ closed: Promise<void>; abort: () => void }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method, path: '/feed' }, (res) => {
      const closed = new Promise<void>((done) => res.on('end', () => done()));
      res.resume();
      resolve({ closed, abort: () => req.destroy() });
    });
    req.on('error', reject);
    req.end();
  });
}

beforeEach(() => {
  logger.lines.length = 0;
});

describe('the inspector, with hostile requests', () => {
  it('answers a malformed percent-escape with 400, logging no error', async () => {
    const answer = await raw('POST', path('/api/samples/%E0%A4%A'), { origin: inspector.origin });
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body)).toMatchObject({ error: 'bad_request' });
    expect(logger.lines.filter((l) => l.level === 'error')).toEqual([]);
  });

  it.each(['/', '/app.js', '/api/state', '/api/feed', '/api/preview', '/api/samples/opened', '/nowhere'])(
    'answers HEAD %s, and keeps no feed client for it',
    async (p) => {
      const answer = await raw('HEAD', path(p));
      expect(answer.status).toBeGreaterThanOrEqual(200);
      expect(answer.body).toBe('');
    },
  );

  it.each([
    ['without an Origin', {}],
    ['with a foreign Origin', { origin: 'http://evil.example' }],
    ['with the null Origin of a sandboxed page', { origin: 'null' }],
  ])('refuses a change %s with 403, and sends nothing', async (_what, headers) => {
    for (const p of ['/api/samples/permanent_failure', '/api/redrive']) {
      expect((await raw('POST', path(p), headers)).status).toBe(403);
    }
    expect((await raw('DELETE', path('/api/redrive'), headers)).status).toBe(403);
    await relay.idle();
    expect(slack.received).toHaveLength(0);
  });
});

describe('the live feed', () => {
  let feed: Feed;
  let server: Server;
  let port: number;

  beforeEach(async () => {
    feed = new Feed();
    server = createServer((req, res) => feed.open(req, res, [['health', []]]));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    feed.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('answers HEAD with its headers and ends it: it never joins the clients', async () => {
    const head = await openFeed(port, 'HEAD');
    await head.closed;
    expect(feed.size).toBe(0);
  });

  it(`keeps ${MAX_FEED_CLIENTS} clients at most, ending the oldest for a new one`, async () => {
    const feeds = [];
    for (let i = 0; i < MAX_FEED_CLIENTS; i++) feeds.push(await openFeed(port));
    expect(feed.size).toBe(MAX_FEED_CLIENTS);
    let oldestEnded = false;
    void feeds[0]!.closed.then(() => (oldestEnded = true));
    const newest = await openFeed(port);
    await feeds[0]!.closed;
    expect(oldestEnded).toBe(true);
    expect(feed.size).toBe(MAX_FEED_CLIENTS);
    for (const open of [...feeds.slice(1), newest]) open.abort();
  });
});
