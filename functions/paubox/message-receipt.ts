import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';

/**
 * Paubox's message-receipt API (`GET <base>/message_receipt?sourceTrackingId=…`), asked for one thing only: the
 * `deliveryStatus` of each delivery, e.g. `soft bounced - mailbox full`. The receipt also holds recipient addresses
 * and the subject: those are never read out of it.
 */

export interface ReceiptApi {
  /** e.g. `https://api.paubox.net/v1/<username>`; no trailing slash needed. */
  readonly baseUrl: string;
  readonly apiKey: () => Promise<string>;
  /** One deadline for the whole exchange. */
  readonly timeoutMs: number;
}

/** Why a lookup gave nothing; only our own words, safe for a log line. */
export class ReceiptLookupError extends Error {
  public readonly name = 'ReceiptLookupError';
}

const MAX_REPLY_BYTES = 256 * 1024;
const MAX_STATUS_CHARS = 100;

/** GETs a URL with a bearer token and one deadline; the body is cut at {@link MAX_REPLY_BYTES}. */
function get(url: URL, apiKey: string, timeoutMs: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = (url.protocol === 'http:' ? httpRequest : httpsRequest)(url, {
      method: 'GET',
      headers: { authorization: `Bearer ${apiKey}`, accept: 'application/json' },
    });
    const timer = setTimeout(() => {
      request.destroy();
      reject(new ReceiptLookupError('timeout'));
    }, timeoutMs);
    request.on('error', () => {
      clearTimeout(timer);
      reject(new ReceiptLookupError('network_error'));
    });
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= MAX_REPLY_BYTES) chunks.push(chunk);
      });
      response.on('error', () => reject(new ReceiptLookupError('network_error')));
      response.on('end', () => {
        clearTimeout(timer);
        resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') });
      });
    });
    request.end();
  });
}

/**
 * The distinct `deliveryStatus` texts of a receipt (`data.message.message_deliveries[].status.deliveryStatus`),
 * joined with ", "; undefined when it has none. A status holding `@` could be an address: it is left out.
 */
export function deliveryStatusOf(receipt: unknown): string | undefined {
  const data = (receipt as { data?: { message?: { message_deliveries?: unknown } } } | null)?.data;
  const deliveries = data?.message?.message_deliveries;
  if (!Array.isArray(deliveries)) return undefined;
  const statuses = new Set<string>();
  for (const delivery of deliveries) {
    const status = (delivery as { status?: { deliveryStatus?: unknown } } | null)?.status?.deliveryStatus;
    if (typeof status !== 'string' || status.includes('@')) continue;
    const trimmed = status.trim().slice(0, MAX_STATUS_CHARS);
    if (trimmed !== '') statuses.add(trimmed);
  }
  return statuses.size > 0 ? [...statuses].join(', ') : undefined;
}

/**
 * Looks up the delivery status of one message. Resolves undefined when Paubox answers without one (404 included:
 * the receipt may not exist yet).
 *
 * @throws ReceiptLookupError on a timeout, a network error, a refused key or an unreadable answer
 */
export async function fetchDeliveryStatus(api: ReceiptApi, sourceTrackingId: string): Promise<string | undefined> {
  const url = new URL(`${api.baseUrl.replace(/\/+$/, '')}/message_receipt`);
  url.searchParams.set('sourceTrackingId', sourceTrackingId);
  const reply = await get(url, await api.apiKey(), api.timeoutMs);
  if (reply.status === 404) return undefined;
  if (reply.status < 200 || reply.status >= 300) throw new ReceiptLookupError(`http_${reply.status}`);
  try {
    return deliveryStatusOf(JSON.parse(reply.body));
  } catch {
    throw new ReceiptLookupError('unreadable_receipt');
  }
}

export interface ReceiptCacheOptions {
  /** @default 500 */
  readonly maxEntries?: number;
  /** @default 10 minutes */
  readonly maxAgeMs?: number;
  readonly now?: () => number;
}

/**
 * One attempt per tracking id: answers, and failures, are kept for `maxAgeMs` in a small cache (oldest out first),
 * so a redelivered event or the same message in another destination's alert does not ask again.
 */
export function cachedLookup(
  lookup: (id: string) => Promise<string | undefined>,
  options: ReceiptCacheOptions = {},
): (id: string) => Promise<string | undefined> {
  const { maxEntries = 500, maxAgeMs = 10 * 60_000, now = Date.now } = options;
  const cache = new Map<string, { at: number; result: Promise<string | undefined> }>();
  return (id) => {
    const hit = cache.get(id);
    if (hit && now() - hit.at < maxAgeMs) return hit.result;
    cache.delete(id);
    const result = lookup(id);
    // A rejection is handled by whoever awaits it; the cache keeps it so that nobody asks again.
    result.catch(() => undefined);
    cache.set(id, { at: now(), result });
    while (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
    return result;
  };
}
