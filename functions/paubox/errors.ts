/**
 * Errors of reading a Paubox webhook. Their messages never hold a value taken from the payload, a header or a
 * secret, so they can be answered and logged as they are.
 */

/** A webhook body that is not what Paubox sends. `field` is a path such as `payload.to`. */
export class PayloadError extends Error {
  public readonly name = 'PayloadError';
  constructor(
    public readonly field: string,
    public readonly expected: string,
  ) {
    super(`${field}: expected ${expected}`);
  }
}

/** A webhook whose Standard Webhooks signature is missing, stale or wrong. */
export class SignatureError extends Error {
  public readonly name = 'SignatureError';
}

/** A signing secret that is not a `whsec_…` value; the message never holds the value. */
export class SigningSecretError extends Error {
  public readonly name = 'SigningSecretError';
}
