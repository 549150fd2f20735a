/**
 * Errors of accepting a webhook and of keeping its token. The request errors are mapped to an HTTP status in
 * exactly one place (`errorResponse` in handle-webhook.ts); no message ever holds a value taken from a payload
 * or a secret.
 */

/** A body that is not JSON at all. */
export class MalformedJsonError extends Error {
  public readonly name = 'MalformedJsonError';
  constructor() {
    super('body is not valid JSON');
  }
}

/** A body larger than the relay accepts. */
export class PayloadTooLargeError extends Error {
  public readonly name = 'PayloadTooLargeError';
  constructor(public readonly limitBytes: number) {
    super(`body is larger than ${limitBytes} bytes`);
  }
}

/** The token in the webhook path did not match. */
export class UnauthorizedError extends Error {
  public readonly name = 'UnauthorizedError';
  constructor() {
    super('unknown webhook token');
  }
}

/** Something the relay depends on (the topic, the token secret) failed; the sender may try again. */
export class UnavailableError extends Error {
  public readonly name = 'UnavailableError';
  constructor(what: string, cause: unknown) {
    super(what, { cause });
  }
}

/** A token secret that cannot be read; the message never holds the secret's value. */
export class TokenSecretError extends Error {
  public readonly name = 'TokenSecretError';
}

/** A rotation that must stop; Secrets Manager records the failure and leaves AWSCURRENT as it was. */
export class RotationError extends Error {
  public readonly name = 'RotationError';
}

/** A body the relay cannot decode at all (compressed, for instance). */
export class UnreadableBodyError extends Error {
  public readonly name = 'UnreadableBodyError';
}
