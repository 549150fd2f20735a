/** Errors of posting to a chat platform. Reasons are short codes, never a URL or a payload value. */

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

/**
 * Why a POST got no reply. `requestSent` tells a timeout after the request left (the platform may well
 * have posted the alert) from one before it left (it certainly did not): the two call for different actions.
 */
export class PostFailure extends Error {
  public readonly name = 'PostFailure';
  constructor(
    public readonly code: 'timeout' | 'network_error',
    public readonly requestSent: boolean,
  ) {
    super(`${code}${requestSent ? ' after the request was sent' : ' before the request was sent'}`);
  }
}
