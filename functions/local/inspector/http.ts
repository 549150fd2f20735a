import { createHash, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/**
 * Only the relay's own origin: no inline script or style, nothing from elsewhere, no framing, no form posts.
 * Adaptive Cards sets element styles through the CSSOM, which this allows; markup with style attributes it refuses.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self'",
  "connect-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** Sent with every inspector answer, a refusal included. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': CONTENT_SECURITY_POLICY,
  'x-content-type-options': 'nosniff',
  // The page URL holds the key: never pass it on.
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'same-origin',
};

export function send(
  res: ServerResponse,
  status: number,
  type: string,
  body: string,
  extra: Record<string, string> = {},
): void {
  res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': type, ...extra });
  res.end(body);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  send(res, status, 'application/json; charset=utf-8', JSON.stringify(body));
}

const digest = (text: string): Buffer => createHash('sha256').update(text).digest();

/** Compares in constant time whatever the lengths. */
export function keyMatches(given: string | undefined, key: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given), digest(key));
}

/** The key from `?key=` or the `x-inspector-key` header. */
export function givenKey(req: IncomingMessage, url: URL): string | undefined {
  const header = req.headers['x-inspector-key'];
  return url.searchParams.get('key') ?? (typeof header === 'string' ? header : undefined);
}

/**
 * The Host a browser sends for the loopback listener: anything else is a page on another name that resolves
 * here (DNS rebinding), refused even with the key.
 */
export function hostAllowed(host: string | undefined, port: number): boolean {
  return host !== undefined && [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

/**
 * A state-changing request must come from the page itself, whose browser sends its Origin with every POST. One
 * without an Origin is refused too: the key is in the page's URL, and whatever can read that URL (a history file,
 * a shell) should not also be able to post samples or move dead letters without the page.
 */
export function originAllowed(req: IncomingMessage): boolean {
  const origin = req.headers.origin;
  return origin !== undefined && origin === `http://${req.headers.host ?? ''}`;
}

/** Whether a method only reads. */
export function isSafeMethod(method: string | undefined): boolean {
  return method === 'GET' || method === 'HEAD';
}

export async function readJson(req: IncomingMessage, limit = 4096): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new Error('body too large');
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  return text === '' ? {} : (JSON.parse(text) as unknown);
}

/** Open live feeds at most: each holds a socket; a page left open in many tabs must not hold the relay's. */
export const MAX_FEED_CLIENTS = 20;

/** Server-sent events to every open page, {@link MAX_FEED_CLIENTS} at most: the oldest is dropped for a new one. */
export class Feed {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    // Keeps idle connections open through anything that closes silent ones.
    this.heartbeat = setInterval(() => this.write(': keep-alive\n\n'), 15_000);
    this.heartbeat.unref();
  }

  open(req: IncomingMessage, res: ServerResponse, first: readonly [string, unknown][]): void {
    const headers = { ...SECURITY_HEADERS, 'content-type': 'text/event-stream; charset=utf-8' };
    if (req.method === 'HEAD') {
      // Headers only: a HEAD is answered and closed, never kept as a client.
      res.writeHead(200, headers).end();
      return;
    }
    if (this.clients.size >= MAX_FEED_CLIENTS) {
      const oldest = this.clients.values().next().value!;
      this.clients.delete(oldest);
      oldest.end();
    }
    res.writeHead(200, { ...headers, connection: 'keep-alive' });
    res.write('retry: 1000\n\n');
    for (const [name, data] of first) res.write(Feed.message(name, data));
    this.clients.add(res);
    req.on('close', () => this.clients.delete(res));
  }

  send(name: string, data: unknown): void {
    if (this.clients.size > 0) this.write(Feed.message(name, data));
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const res of this.clients) res.end();
    this.clients.clear();
  }

  private write(text: string): void {
    for (const res of this.clients) res.write(text);
  }

  /** JSON holds no raw line break, so one `data:` line carries it whole. */
  private static message(name: string, data: unknown): string {
    return `event: ${name}\ndata: ${JSON.stringify(data)}\n\n`;
  }
}
