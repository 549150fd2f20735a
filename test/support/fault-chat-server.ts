import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ChatKind } from '../../functions/chat';

export type Platform = ChatKind;

/**
 * What the fake platform does with one request.
 *
 * - `ok`: posts the message, answers `200 ok` (Slack) or `202` (Teams).
 * - `rate_limited`: `429` with `Retry-After: 1`; not posted.
 * - `server_error`: `500` (Slack `rollup_error`); not posted.
 * - `unavailable`: `503` with no error code; not posted.
 * - `slow`: posts the message (Slack and Teams do their work before replying), then answers success only
 *   after `slowReplyMs`, later than the client's send timeout.
 * - `reset`: the connection is reset as soon as the request has arrived; not posted.
 * - `no_service`: `404` (Slack `no_service`: the webhook was revoked); not posted.
 * - `archived`: `410` (Slack `channel_is_archived`); not posted.
 */
export const FAULTS = [
  'ok',
  'rate_limited',
  'server_error',
  'unavailable',
  'slow',
  'reset',
  'no_service',
  'archived',
] as const;
export type Fault = (typeof FAULTS)[number];

/** Decides the fault for the `attempt`-th request (1-based) that carries this event key. Must be deterministic. */
export type FaultPlan = (key: string, attempt: number) => Fault;

export interface FaultRequest {
  /** 1-based order of arrival at this server. */
  readonly seq: number;
  /** The relay's event key found in the body ("key <32 hex>" in the context line); undefined if none. */
  readonly key: string | undefined;
  /** 1-based count of requests carrying this key, this one included. */
  readonly attempt: number;
  readonly fault: Fault;
  /** Date.now() when the whole request had arrived. */
  readonly at: number;
}

export interface FaultServerStats {
  readonly requests: number;
  /** Requests whose body held no event key (answered 400 `invalid_payload`). */
  readonly unkeyed: number;
  /** Messages that appeared in the channel (ok + slow). */
  readonly posted: number;
  readonly rateLimited: number;
  readonly serverErrors: number;
  readonly unavailable: number;
  readonly slowReplies: number;
  readonly resets: number;
  readonly notFound: number;
  readonly gone: number;
}

export interface FaultChatServer {
  readonly url: string;
  readonly platform: Platform;
  /** Every request, in order of arrival. */
  readonly requests: readonly FaultRequest[];
  /** How many times the event with this key appeared in the channel. */
  postCount(key: string): number;
  /** Every posted key with its post count. */
  postCounts(): ReadonlyMap<string, number>;
  /** The requests that carried this key, in order. */
  attemptsOf(key: string): readonly FaultRequest[];
  stats(): FaultServerStats;
  close(): Promise<void>;
}

export interface FaultServerOptions {
  readonly platform: Platform;
  readonly plan: FaultPlan;
  /** How late a `slow` reply comes; make it longer than the relay's send timeout. */
  readonly slowReplyMs: number;
  /** @default '/services/T0/B0/fault' (Slack) or '/workflows/fault' (Teams) */
  readonly path?: string;
  /** Alerts show a key's first 12 characters: the whole key they stand for. @default the shown part itself */
  readonly resolveKey?: (shown: string) => string | undefined;
}

const KEY_IN_BODY = /\bkey ([0-9a-f]{12})…/;

interface Reply {
  readonly status: number;
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** Teams Workflows (Power Automate) answers errors with a JSON envelope, not a short code. */
const teamsError = (code: string, message: string): string => JSON.stringify({ error: { code, message } });

/** The answers of each platform; `slow` answers success late, `reset` answers nothing. */
const REPLIES: Readonly<Record<Platform, Readonly<Record<Exclude<Fault, 'slow' | 'reset'>, Reply>>>> = {
  slack: {
    ok: { status: 200, body: 'ok' },
    rate_limited: { status: 429, body: 'rate_limited', headers: { 'retry-after': '1' } },
    server_error: { status: 500, body: 'rollup_error' },
    unavailable: { status: 503, body: '' },
    no_service: { status: 404, body: 'no_service' },
    archived: { status: 410, body: 'channel_is_archived' },
  },
  teams: {
    ok: { status: 202, body: '' },
    rate_limited: {
      status: 429,
      body: teamsError('WorkflowTriggerIsThrottled', 'Rate limit is exceeded. Try again in 1 seconds.'),
      headers: { 'retry-after': '1' },
    },
    server_error: { status: 500, body: teamsError('InternalServerError', 'Encountered an internal server error.') },
    unavailable: { status: 503, body: teamsError('ServiceUnavailable', 'The service is unavailable.') },
    no_service: { status: 404, body: teamsError('WorkflowNotFound', 'The workflow could not be found.') },
    archived: { status: 410, body: teamsError('WorkflowDisabled', 'The workflow is disabled.') },
  },
};

function send(res: ServerResponse, reply: Reply): void {
  res.writeHead(reply.status, {
    'content-type': reply.body.startsWith('{') ? 'application/json' : 'text/plain',
    ...reply.headers,
  });
  res.end(reply.body);
}

/**
 * A Slack or Teams webhook endpoint on 127.0.0.1 that answers each request with the fault its plan
 * assigns to (event key, attempt for that key), and records what was actually posted.
 */
export async function startFaultChatServer(options: FaultServerOptions): Promise<FaultChatServer> {
  const { platform, plan, slowReplyMs } = options;
  const path = options.path ?? (platform === 'slack' ? '/services/T0/B0/fault' : '/workflows/fault');
  const requests: FaultRequest[] = [];
  const byKey = new Map<string, FaultRequest[]>();
  const posts = new Map<string, number>();
  const timers = new Set<NodeJS.Timeout>();
  const counts = {
    unkeyed: 0,
    posted: 0,
    rateLimited: 0,
    serverErrors: 0,
    unavailable: 0,
    slowReplies: 0,
    resets: 0,
    notFound: 0,
    gone: 0,
  };

  const handle = (req: IncomingMessage, res: ServerResponse, raw: string): void => {
    const shown = KEY_IN_BODY.exec(raw)?.[1];
    const key = shown === undefined ? undefined : (options.resolveKey?.(shown) ?? shown);
    const previous = key === undefined ? [] : (byKey.get(key) ?? []);
    const attempt = previous.length + 1;
    const fault: Fault = key === undefined ? 'ok' : plan(key, attempt);
    const request: FaultRequest = { seq: requests.length + 1, key, attempt, fault, at: Date.now() };
    requests.push(request);
    if (key === undefined) {
      counts.unkeyed++;
      send(res, {
        status: 400,
        body: platform === 'slack' ? 'invalid_payload' : teamsError('InvalidRequestContent', 'no key'),
      });
      return;
    }
    byKey.set(key, [...previous, request]);
    const post = (): void => {
      posts.set(key, (posts.get(key) ?? 0) + 1);
      counts.posted++;
    };
    switch (fault) {
      case 'ok':
        post();
        send(res, REPLIES[platform].ok);
        return;
      case 'slow': {
        post();
        counts.slowReplies++;
        const timer = setTimeout(() => {
          timers.delete(timer);
          if (!res.destroyed) send(res, REPLIES[platform].ok);
        }, slowReplyMs);
        timers.add(timer);
        return;
      }
      case 'reset':
        counts.resets++;
        req.socket.resetAndDestroy();
        return;
      case 'rate_limited':
        counts.rateLimited++;
        break;
      case 'server_error':
        counts.serverErrors++;
        break;
      case 'unavailable':
        counts.unavailable++;
        break;
      case 'no_service':
        counts.notFound++;
        break;
      case 'archived':
        counts.gone++;
        break;
    }
    send(res, REPLIES[platform][fault]);
  };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== path) {
        send(res, { status: 404, body: platform === 'slack' ? 'no_service' : teamsError('NotFound', 'not found') });
        return;
      }
      handle(req, res, Buffer.concat(chunks).toString('utf8'));
    });
  });
  // Longer than any pause in a run, so that the client never reuses a keep-alive socket the server is closing
  // (which would be a connection error the fake server did not script).
  server.keepAliveTimeout = 120_000;
  server.headersTimeout = 121_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}${path}`,
    platform,
    requests,
    postCount: (key) => posts.get(key) ?? 0,
    postCounts: () => new Map(posts),
    attemptsOf: (key) => byKey.get(key) ?? [],
    stats: () => ({ requests: requests.length, ...counts }),
    close: () =>
      new Promise<void>((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
