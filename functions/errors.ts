/**
 * Named errors of the relay. Each one is mapped to an HTTP status in exactly one place
 * (`ingest-core.ts`), and none of their messages ever holds a value taken from a payload.
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

/** A relay configuration that cannot work; the message says what to change. */
export class ConfigError extends Error {
  public readonly name = 'ConfigError';
  constructor(public readonly problems: readonly string[]) {
    super(`invalid relay configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** A destination URL that the relay refuses to post to; the message says why and what to use instead. */
export class DestinationUrlError extends Error {
  public readonly name = 'DestinationUrlError';
}

/** A webhook whose Standard Webhooks signature is missing, stale or wrong. */
export class SignatureError extends Error {
  public readonly name = 'SignatureError';
}
