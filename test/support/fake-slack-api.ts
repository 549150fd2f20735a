import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A stand-in for Slack's Web API on 127.0.0.1, for destinations in app mode: `auth.test`, `conversations.info`,
 * `chat.postMessage` (answering a fresh `ts`), `chat.update`, and any other method with `ok: true`. Failures are
 * scripted per method: an HTTP 200 with `ok: false` and an error code, or `ratelimited` with a `Retry-After`.
 * Every call is recorded with its form arguments decoded (objects such as `blocks` parsed from their JSON).
 */

export interface SlackApiCall {
  readonly method: string;
  /** The form arguments; `blocks` and `attachments` parsed from their JSON. */
  readonly args: Readonly<Record<string, unknown>>;
  readonly headers: IncomingHttpHeaders;
  readonly at: number;
}

/** A scripted failure: `error` answered as `{ ok: false, error }` (status 200 unless given). */
export interface SlackApiFailure {
  readonly error: string;
  readonly status?: number;
  /** Seconds, sent as `Retry-After` (Slack sends it with `ratelimited`, with HTTP 429). */
  readonly retryAfter?: number;
}

export interface FakeSlackChannel {
  readonly id: string;
  readonly name?: string;
  /** @default false */
  readonly archived?: boolean;
  /** Whether the bot is in the channel. @default true */
  readonly member?: boolean;
}

export interface FakeSlackApi {
  /** The base URL, ending in `/`: what `SLACK_API_BASE_URL` is set to. */
  readonly baseUrl: string;
  readonly calls: SlackApiCall[];
  /** Failures to hand out in order, per method; a method without one answers `ok: true`. */
  fail(method: string, ...failures: SlackApiFailure[]): void;
  /** The calls of one method, in order. */
  callsOf(method: string): SlackApiCall[];
  /** The token a call must carry; any other gets `invalid_auth`. */
  token: string;
  readonly channels: Map<string, FakeSlackChannel>;
  close(): Promise<void>;
}

const JSON_ARGS = new Set(['blocks', 'attachments', 'metadata']);

function decodeForm(raw: string): Record<string, unknown> {
  const args: Record<string, unknown> = {};
  for (const [name, value] of new URLSearchParams(raw)) {
    if (JSON_ARGS.has(name)) {
      try {
        args[name] = JSON.parse(value);
        continue;
      } catch {
        // kept as text, as Slack would refuse it
      }
    }
    args[name] = value;
  }
  return args;
}

/** Starts the fake with one channel the bot is a member of (`C0FAKECHAN1` unless given). */
export async function startFakeSlackApi(
  options: { readonly token?: string; readonly channels?: readonly FakeSlackChannel[] } = {},
): Promise<FakeSlackApi> {
  const calls: SlackApiCall[] = [];
  const failures = new Map<string, SlackApiFailure[]>();
  const channels = new Map((options.channels ?? [{ id: 'C0FAKECHAN1', name: 'alerts' }]).map((c) => [c.id, c]));
  let posted = 0;
  // Slack's message timestamps: seconds, a dot, six digits; unique per channel.
  const nextTs = (): string => `1700000000.${String(++posted * 100).padStart(6, '0')}`;
  const api: FakeSlackApi = {
    baseUrl: '',
    calls,
    token: options.token ?? 'xoxb-fake-token',
    channels,
    fail: (method, ...given) => failures.set(method, [...(failures.get(method) ?? []), ...given]),
    callsOf: (method) => calls.filter((c) => c.method === method),
    close: async () => undefined,
  };

  function answer(
    method: string,
    args: Record<string, unknown>,
    authorization: string | undefined,
  ): SlackApiFailure | { readonly ok: true; readonly [field: string]: unknown } {
    const failure = failures.get(method)?.shift();
    if (failure) return failure;
    if (authorization !== `Bearer ${api.token}`) return { error: 'invalid_auth' };
    const channel = typeof args.channel === 'string' ? channels.get(args.channel) : undefined;
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: 'https://fake.slack.test/',
          team: 'Fake',
          user: 'relay',
          team_id: 'T0FAKE',
          user_id: 'U0BOT',
        };
      case 'conversations.info':
        if (!channel) return { error: 'channel_not_found' };
        return {
          ok: true,
          channel: {
            id: channel.id,
            name: channel.name ?? 'alerts',
            is_archived: channel.archived === true,
            is_member: channel.member !== false,
          },
        };
      case 'chat.postMessage':
        if (!channel) return { error: 'channel_not_found' };
        if (channel.archived) return { error: 'is_archived' };
        if (channel.member === false) return { error: 'not_in_channel' };
        return { ok: true, channel: channel.id, ts: nextTs() };
      case 'chat.update':
        if (!channel) return { error: 'channel_not_found' };
        return { ok: true, channel: channel.id, ts: args.ts };
      default:
        return { ok: true };
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = (req.url ?? '').replace(/^\/api\//, '').split('?')[0]!;
      const args = decodeForm(Buffer.concat(chunks).toString('utf8'));
      calls.push({ method, args, headers: req.headers, at: Date.now() });
      const reply = answer(method, args, req.headers.authorization);
      if (!('ok' in reply)) {
        const failure = reply;
        const headers: Record<string, string> = { 'content-type': 'application/json' };
        if (failure.retryAfter !== undefined) headers['retry-after'] = String(failure.retryAfter);
        res.writeHead(failure.status ?? 200, headers);
        res.end(JSON.stringify({ ok: false, error: failure.error }));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(reply));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(api, {
    baseUrl: `http://127.0.0.1:${port}/api/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  });
}

/** Slack's answer to a rate-limited call: HTTP 429, `ratelimited`, and how long to wait. */
export const slackRateLimited = (retryAfter: number): SlackApiFailure => ({
  error: 'ratelimited',
  status: 429,
  retryAfter,
});
