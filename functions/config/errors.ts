/** Errors of a relay configuration; each message says what to change. */

/** A relay configuration that cannot work; the message lists every problem. */
export class ConfigError extends Error {
  public readonly name = 'ConfigError';
  constructor(public readonly problems: readonly string[]) {
    super(`invalid relay configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/**
 * A destination URL that the relay refuses to post to; the message says why and what to use instead, naming the
 * host at most (the path and query hold the credential).
 */
export class DestinationUrlError extends Error {
  public readonly name = 'DestinationUrlError';
}

/**
 * A destination in Slack app mode whose credentials are missing or unreadable; the message names the variable or
 * the command that provides them, never a token.
 */
export class DestinationCredentialsError extends Error {
  public readonly name = 'DestinationCredentialsError';
}
