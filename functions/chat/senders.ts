import { IncomingWebhook, IncomingWebhookHTTPError, type FetchFunction } from '@slack/webhook';
import type { ChatView } from '../alerts/chat-view';
import type { DestinationKind } from '../config/destination-kinds';
import { post, PostFailure, type PostReply } from './http-post';
import { renderConsoleView } from './console/render';
import { renderSlackView } from './slack/render';
import { renderTeamsView } from './teams/render';

/**
 * A failed send, classified. `retryable` sends may succeed later (429, 5xx, network, timeout);
 * the others (revoked webhook, archived channel, invalid payload) never will.
 * The reason is a short platform code (such as `no_service`), never a URL or payload value.
 */
export class DeliveryError extends Error {
  public readonly name = 'DeliveryError';
  constructor(
    public readonly reason: string,
    public readonly retryable: boolean,
    public readonly status?: number,
    public readonly retryAfterSeconds?: number,
  ) {
    super(`delivery failed: ${reason}${status !== undefined ? ` (HTTP ${status})` : ''}`);
  }
}

/** Posts an alert, or a digest of many, to one destination. */
export interface AlertSender {
  readonly kind: DestinationKind;
  send(view: ChatView): Promise<void>;
}

export interface SenderOptions {
  /** Every send has a timeout; a send still running then is a retryable failure. */
  readonly timeoutMs: number;
}

export const DEFAULT_SEND_TIMEOUT_MS = 10_000;

/** Platform error bodies are short codes; keep only a safe, short token of them. */
function reasonCode(body: string, status: number): string {
  const code = body.trim().slice(0, 64);
  return /^[a-z_]+$/.test(code) ? code : `http_${status}`;
}

function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

export function classifyHttpFailure(status: number, body: string, retryAfterHeader: string | null): DeliveryError {
  const reason = reasonCode(body, status);
  if (status === 429) return new DeliveryError('rate_limited', true, status, retryAfter(retryAfterHeader));
  if (status >= 500 || status === 408) return new DeliveryError(reason, true, status);
  return new DeliveryError(reason, false, status);
}

/** A send that got no reply: after the request left, the outcome is unknown; before, nothing was posted. */
function noReply(error: unknown): DeliveryError {
  if (error instanceof PostFailure && error.code === 'timeout') {
    return new DeliveryError(error.requestSent ? 'timeout' : 'connect_timeout', true);
  }
  return new DeliveryError('network_error', true);
}

/** The `fetch` that `@slack/webhook` calls, built on {@link post} so that a timeout says whether the request left. */
function slackFetch(timeoutMs: number, onReply: (reply: PostReply) => void): FetchFunction {
  return async (input, init): ReturnType<FetchFunction> => {
    const reply = await post(String(input), String(init?.body ?? ''), init?.headers ?? {}, timeoutMs);
    onReply(reply);
    const headers = new Map(Object.entries(reply.headers));
    return {
      ok: reply.status >= 200 && reply.status < 300,
      status: reply.status,
      statusText: '',
      url: String(input),
      headers: { get: (name: string) => headers.get(name.toLowerCase()) ?? null, entries: () => headers.entries() },
      arrayBuffer: async () => new TextEncoder().encode(reply.body).buffer as ArrayBuffer,
      json: async () => JSON.parse(reply.body) as unknown,
      text: async () => reply.body,
    };
  };
}

/** Slack, through `@slack/webhook`, whose `fetch` is our own so that `Retry-After` and timeouts are visible. */
export function slackSender(url: string, options: SenderOptions): AlertSender {
  // The library does not expose a 429's Retry-After; the fetch we give it keeps the last reply's.
  let lastRetryAfter: string | null = null;
  const webhook = new IncomingWebhook(url, {
    fetch: slackFetch(options.timeoutMs, (reply) => (lastRetryAfter = reply.headers['retry-after'] ?? null)),
  });
  return {
    kind: 'slack',
    async send(view) {
      try {
        await webhook.send(renderSlackView(view));
      } catch (error) {
        if (error instanceof IncomingWebhookHTTPError) {
          throw classifyHttpFailure(error.statusCode, error.body, lastRetryAfter);
        }
        throw noReply((error as { original?: unknown }).original ?? error);
      }
    },
  };
}

/** Teams Workflows: 200 and 202 both mean accepted (the flow renders the card later, unseen). */
export function teamsSender(url: string, options: SenderOptions): AlertSender {
  return {
    kind: 'teams',
    async send(view) {
      let reply: PostReply;
      try {
        reply = await post(
          url,
          JSON.stringify(renderTeamsView(view)),
          { 'content-type': 'application/json; charset=utf-8' },
          options.timeoutMs,
        );
      } catch (error) {
        throw noReply(error);
      }
      if (reply.status < 200 || reply.status >= 300) {
        throw classifyHttpFailure(reply.status, reply.body, reply.headers['retry-after'] ?? null);
      }
    },
  };
}

/** Readable lines for a terminal, for the local relay. */
export function consoleSender(write: (text: string) => void): AlertSender {
  return {
    kind: 'console',
    async send(view) {
      write(`${renderConsoleView(view)}\n`);
    },
  };
}

export function createSender(
  kind: DestinationKind,
  url: string | undefined,
  options: SenderOptions & { readonly write?: (text: string) => void },
): AlertSender {
  if (kind === 'console') return consoleSender(options.write ?? ((text) => process.stdout.write(text)));
  if (url === undefined) throw new Error(`a ${kind} destination needs a URL`);
  return kind === 'slack' ? slackSender(url, options) : teamsSender(url, options);
}
