import { DeliveryError, PostFailure } from './errors';

/**
 * How a platform's answer, or its silence, becomes a {@link DeliveryError}: whether the send may succeed later,
 * and how long the platform asked to wait. Every sender classifies failures here, so all platforms agree.
 */

/** Platform error bodies are short codes; keep only a safe, short token of them. */
function reasonCode(body: string, status: number): string {
  const code = body.trim().slice(0, 64);
  return /^[a-z_]+$/.test(code) ? code : `http_${status}`;
}

/** `Retry-After` in seconds, or as an HTTP date; undefined when absent or unreadable. */
function retryAfter(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds) && seconds >= 0) return seconds;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, (date - Date.now()) / 1000);
}

/** A non-2xx answer: 429, 408 and 5xx may succeed later; any other status never will. */
export function classifyHttpFailure(status: number, body: string, retryAfterHeader: string | null): DeliveryError {
  const reason = reasonCode(body, status);
  if (status === 429) return new DeliveryError('rate_limited', true, status, retryAfter(retryAfterHeader));
  if (status >= 500 || status === 408) return new DeliveryError(reason, true, status);
  return new DeliveryError(reason, false, status);
}

/** A send that got no reply: after the request left, the outcome is unknown; before, nothing was posted. */
export function classifyNoReply(error: unknown): DeliveryError {
  if (error instanceof PostFailure && error.code === 'timeout') {
    return new DeliveryError(error.requestSent ? 'timeout' : 'connect_timeout', true);
  }
  return new DeliveryError('network_error', true);
}
