import { createHmac, timingSafeEqual } from 'node:crypto';
import { SignatureError, SigningSecretError } from './errors';

/**
 * Standard Webhooks signatures (https://www.standardwebhooks.com): `webhook-signature` holds space-separated
 * `v1,<base64 HMAC-SHA256>` entries over `${webhook-id}.${webhook-timestamp}.${body}`, keyed with the
 * base64-decoded part of a `whsec_…` secret. Paubox's signing secrets have that prefix; that they follow
 * this scheme is an inference, which is why verification is opt-in.
 */
export const SIGNATURE_TOLERANCE_SECONDS = 5 * 60;
const SECRET_PREFIX = 'whsec_';
const MAX_HEADER_LENGTH = 1024;

/**
 * The HMAC key of a `whsec_<base64>` signing secret.
 *
 * @throws SigningSecretError when the value is not of that form
 */
export function parseSigningSecret(raw: string): Buffer {
  const text = raw.trim();
  const encoded = text.startsWith(SECRET_PREFIX) ? text.slice(SECRET_PREFIX.length) : '';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(encoded)) {
    throw new SigningSecretError('the signing secret must be the whsec_… value Paubox shows for the webhook endpoint');
  }
  const key = Buffer.from(encoded, 'base64');
  if (key.length < 16) throw new SigningSecretError('the signing secret is shorter than 16 bytes');
  return key;
}

/** The `v1` signature of a message, base64-encoded. */
export function signWebhook(key: Buffer, id: string, timestamp: string, body: Buffer): string {
  return createHmac('sha256', key).update(`${id}.${timestamp}.`).update(body).digest('base64');
}

/**
 * Checks a webhook's Standard Webhooks signature. Header names are lower case (as API Gateway and Node give them).
 *
 * @throws SignatureError saying which header is missing or wrong; never echoing header or body values
 */
export function verifyWebhookSignature(
  headers: Readonly<Record<string, string | undefined>>,
  body: Buffer,
  key: Buffer,
  now: number,
): void {
  const id = headers['webhook-id'];
  const timestamp = headers['webhook-timestamp'];
  const signature = headers['webhook-signature'];
  if (!id || !timestamp || !signature) {
    throw new SignatureError('missing webhook-id, webhook-timestamp or webhook-signature header');
  }
  if (id.length > MAX_HEADER_LENGTH || signature.length > MAX_HEADER_LENGTH) {
    throw new SignatureError(`webhook-id or webhook-signature header is longer than ${MAX_HEADER_LENGTH} characters`);
  }
  if (!/^\d{1,12}$/.test(timestamp)) throw new SignatureError('webhook-timestamp must be whole seconds since 1970');
  if (Math.abs(now / 1000 - Number(timestamp)) > SIGNATURE_TOLERANCE_SECONDS) {
    throw new SignatureError(
      `webhook-timestamp is more than ${SIGNATURE_TOLERANCE_SECONDS / 60} minutes from the relay's clock`,
    );
  }
  const expected = Buffer.from(signWebhook(key, id, timestamp, body), 'base64');
  // Compare every v1 entry, so that timing does not tell which one (if any) matched.
  let matched = false;
  for (const entry of signature.split(' ')) {
    const [version, value] = entry.split(',', 2);
    if (version !== 'v1' || value === undefined) continue;
    const presented = Buffer.from(value, 'base64');
    if (presented.length === expected.length && timingSafeEqual(presented, expected)) matched = true;
  }
  if (!matched) throw new SignatureError('webhook-signature does not match the body');
}
