import { IncomingWebhook, IncomingWebhookHTTPError, type FetchFunction } from '@slack/webhook';
import type { AlertView } from './alert-view';
import type { DestinationKind } from './detail-level';
import { renderConsole } from './render-console';
import { renderSlack } from './render-slack';
import { renderTeams } from './render-teams';

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

/** Posts an alert to one destination. */
export interface AlertSender {
  readonly kind: DestinationKind;
  send(view: AlertView): Promise<void>;
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

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  return name === 'TimeoutError' || name === 'AbortError';
}

/** Slack, through `@slack/webhook`; a fetch wrapper keeps `Retry-After`, which the library does not expose. */
export function slackSender(url: string, options: SenderOptions): AlertSender {
  let lastRetryAfter: string | null = null;
  const fetchWithHeaders: FetchFunction = async (input, init) => {
    const response = await fetch(input, init);
    lastRetryAfter = response.headers.get('retry-after');
    return response;
  };
  const webhook = new IncomingWebhook(url, { timeout: options.timeoutMs, fetch: fetchWithHeaders });
  return {
    kind: 'slack',
    async send(view) {
      try {
        await webhook.send(renderSlack(view));
      } catch (error) {
        if (error instanceof IncomingWebhookHTTPError) {
          throw classifyHttpFailure(error.statusCode, error.body, lastRetryAfter);
        }
        const cause = (error as { original?: unknown }).original ?? error;
        throw new DeliveryError(isTimeout(cause) ? 'timeout' : 'network_error', true);
      }
    },
  };
}

/** Teams Workflows: 200 and 202 both mean accepted (the flow renders the card later, unseen). */
export function teamsSender(url: string, options: SenderOptions): AlertSender {
  return {
    kind: 'teams',
    async send(view) {
      let response: Response;
      try {
        response = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json; charset=utf-8' },
          body: JSON.stringify(renderTeams(view)),
          signal: AbortSignal.timeout(options.timeoutMs),
          redirect: 'error',
        });
      } catch (error) {
        throw new DeliveryError(isTimeout(error) ? 'timeout' : 'network_error', true);
      }
      const body = await response.text().catch(() => '');
      if (!response.ok) throw classifyHttpFailure(response.status, body, response.headers.get('retry-after'));
    },
  };
}

/** Readable lines for a terminal, for the local relay. */
export function consoleSender(write: (text: string) => void): AlertSender {
  return {
    kind: 'console',
    async send(view) {
      write(`${renderConsole(view)}\n`);
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
