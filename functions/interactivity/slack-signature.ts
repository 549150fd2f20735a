import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Slack's request signing (v0): `X-Slack-Signature` is `v0=` and the hex HMAC-SHA256, keyed with the app's signing
 * secret, of `v0:<X-Slack-Request-Timestamp>:<raw body>`. A request older than five minutes is refused, so a
 * captured one cannot be sent again later; within those minutes the replay store refuses a second sending.
 */

/** How far a request's timestamp may be from now, either way. */
export const SLACK_SIGNATURE_MAX_AGE_MS = 5 * 60_000;

/** One app-mode destination's signing secret. */
export interface SigningKey {
  readonly destination: string;
  readonly secret: string;
}

export type SignatureCheck =
  /** The destinations whose secret signed the request (several when they share an app). */
  | { readonly ok: true; readonly destinations: readonly string[]; readonly timestampMs: number }
  | { readonly ok: false; readonly reason: 'unsigned' | 'stale' | 'mismatch' };

const SIGNATURE = /^v0=[0-9a-f]{64}$/;
const TIMESTAMP = /^[0-9]{1,12}$/;

/** `v0=` and the hex HMAC of a request: what Slack sends, and what tests sign with. */
export function slackSignature(secret: string, timestamp: string, rawBody: Buffer | string): string {
  const mac = createHmac('sha256', secret);
  mac.update(`v0:${timestamp}:`);
  mac.update(rawBody);
  return `v0=${mac.digest('hex')}`;
}

/**
 * Checks a request's signature against every key, in constant time per key (the buffers compared are always the
 * same length: both are `v0=` and 64 hex digits). Nothing about the request is trusted before this says ok.
 */
export function verifySlackSignature(
  keys: readonly SigningKey[],
  headers: { readonly timestamp: string | undefined; readonly signature: string | undefined },
  rawBody: Buffer,
  nowMs: number,
): SignatureCheck {
  const { timestamp, signature } = headers;
  if (timestamp === undefined || signature === undefined || !TIMESTAMP.test(timestamp) || !SIGNATURE.test(signature))
    return { ok: false, reason: 'unsigned' };
  const timestampMs = Number(timestamp) * 1000;
  if (Math.abs(nowMs - timestampMs) > SLACK_SIGNATURE_MAX_AGE_MS) return { ok: false, reason: 'stale' };
  const given = Buffer.from(signature, 'latin1');
  const destinations = keys
    .filter((key) => timingSafeEqual(Buffer.from(slackSignature(key.secret, timestamp, rawBody), 'latin1'), given))
    .map((key) => key.destination);
  return destinations.length > 0 ? { ok: true, destinations, timestampMs } : { ok: false, reason: 'mismatch' };
}
