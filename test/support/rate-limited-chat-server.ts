import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatKind } from '../../functions/chat';

export type RateLimitedPlatform = ChatKind;

/** A message that appeared in the channel. */
export interface AcceptedPost {
  /** Clock time when it was accepted. */
  readonly at: number;
  /** How many events it shows: the N of "N messages failed to send" for a digest, else 1. */
  readonly events: number;
  readonly digest: boolean;
  readonly body: unknown;
}

export interface RateLimitedChatServer {
  readonly url: string;
  readonly accepted: readonly AcceptedPost[];
  /** Clock times of the requests answered 429. */
  readonly rejected: readonly number[];
  /** Events shown in the channel, summed over every accepted post. */
  eventsShown(): number;
  close(): Promise<void>;
}

export interface RateLimitedServerOptions {
  readonly platform: RateLimitedPlatform;
  /** Least time between two accepted posts. @default 1000 (Slack: one message a second) */
  readonly intervalMs?: number;
  /** The clock the limit is measured on. @default Date.now */
  readonly now?: () => number;
  /** How long an accepted post waits for its reply: it is shown at once, answered later. @default 0 */
  readonly replyDelayMs?: number;
}

// Slack headers start with a severity mark.
const DIGEST_TITLE = /^(?:[✖⚠ℹ] )?([\d,]+) messages? (?:failed to send|delivered|opened)$/;
/** A single alert stands for one event; anything else (a bounce-rate alert, a relay health notice) for none. */
const ALERT_TITLE = /^(?:[✖⚠ℹ✓] )?Message (?:failed to send|not delivered yet|delivered|opened)\b/;

/** The title of a Slack message (its header) or of a Teams card (its first TextBlock). */
function titleOf(platform: RateLimitedPlatform, body: unknown): string | undefined {
  const b = body as {
    blocks?: { type: string; text?: { text?: string } }[];
    attachments?: { content?: { body?: { text?: string }[] } }[];
  };
  if (platform === 'slack') return b.blocks?.find((block) => block.type === 'header')?.text?.text;
  return b.attachments?.[0]?.content?.body?.[0]?.text;
}

/**
 * A Slack or Teams webhook on 127.0.0.1 that enforces a rate limit as Slack does: a post less than `intervalMs`
 * after the last accepted one is refused with 429 and a `Retry-After` (whole seconds, rounded up), and not shown.
 * Accepted posts are counted in events, so a test can check that what the channel shows adds up.
 */
export async function startRateLimitedChatServer(options: RateLimitedServerOptions): Promise<RateLimitedChatServer> {
  const { platform } = options;
  const intervalMs = options.intervalMs ?? 1000;
  const now = options.now ?? Date.now;
  const accepted: AcceptedPost[] = [];
  const rejected: number[] = [];
  let lastAccepted = Number.NEGATIVE_INFINITY;

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      // As Slack does: a body without text (the relay's silent probe, `{}`) is refused and shows nothing.
      if (platform === 'slack' && !/"text"/.test(Buffer.concat(chunks).toString('utf8'))) {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('no_text');
        return;
      }
      const at = now();
      const wait = lastAccepted + intervalMs - at;
      if (wait > 0) {
        rejected.push(at);
        res.writeHead(429, { 'content-type': 'text/plain', 'retry-after': String(Math.ceil(wait / 1000)) });
        res.end('rate_limited');
        return;
      }
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      } catch {
        res.writeHead(400, { 'content-type': 'text/plain' });
        res.end('invalid_payload');
        return;
      }
      lastAccepted = at;
      const match = DIGEST_TITLE.exec(titleOf(platform, body) ?? '');
      const title = titleOf(platform, body) ?? '';
      const events = match ? Number(match[1]!.replace(/,/g, '')) : ALERT_TITLE.test(title) ? 1 : 0;
      accepted.push({ at, body, digest: match !== null, events });
      const answer = () => {
        res.writeHead(platform === 'slack' ? 200 : 202, { 'content-type': 'text/plain' });
        res.end(platform === 'slack' ? 'ok' : '');
      };
      if (options.replyDelayMs) setTimeout(answer, options.replyDelayMs);
      else answer();
    });
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/${platform === 'slack' ? 'services/T0/B0/storm' : 'workflows/storm'}`,
    accepted,
    rejected,
    eventsShown: () => accepted.reduce((n, p) => n + p.events, 0),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
