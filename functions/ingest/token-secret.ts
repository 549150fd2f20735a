import { TokenSecretError } from './errors';

/**
 * What the webhook token secret holds. A plain string is one token (what the stack first generates, and what
 * older stacks hold); after a rotation it is JSON holding the new token and, for an overlap, the previous one,
 * so that the URL already pasted into the Paubox dashboard keeps working until the new one is pasted.
 */
export interface TokenSecret {
  readonly token: string;
  readonly previousToken?: string;
  /** ISO 8601; the previous token is refused from then on. */
  readonly previousValidUntil?: string;
}

/** Tokens are at least this long: 48 letters and digits hold about 285 random bits, more than 32 bytes. */
export const TOKEN_LENGTH = 48;
export const MIN_TOKEN_LENGTH = 43;

const isText = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * Reads a token secret: JSON with `token` (and optionally `previousToken`, `previousValidUntil`), or a plain token.
 *
 * @throws TokenSecretError when the value holds no usable token
 */
export function parseTokenSecret(raw: string): TokenSecret {
  const text = raw.trim();
  if (!text.startsWith('{')) {
    if (text.length === 0) throw new TokenSecretError('the token secret is empty');
    return { token: text };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new TokenSecretError('the token secret starts with "{" but is not valid JSON');
  }
  const { token, previousToken, previousValidUntil } = json as Record<string, unknown>;
  if (!isText(token)) throw new TokenSecretError('the token secret has no "token" string');
  if (previousToken === undefined) return { token };
  if (!isText(previousToken) || !isText(previousValidUntil) || Number.isNaN(Date.parse(previousValidUntil))) {
    throw new TokenSecretError('"previousToken" needs a "previousValidUntil" ISO 8601 date-time');
  }
  return { token, previousToken, previousValidUntil };
}

/** The tokens accepted at `now`: the current one, and the previous one until its overlap ends. */
export function validTokens(secret: TokenSecret, now: number): string[] {
  const tokens = [secret.token];
  if (
    secret.previousToken !== undefined &&
    secret.previousValidUntil !== undefined &&
    now < Date.parse(secret.previousValidUntil)
  ) {
    tokens.push(secret.previousToken);
  }
  return tokens;
}

/**
 * The secret after a rotation to `newToken`: the current token becomes the previous one for `overlapMs`.
 * A token that was already "previous" is dropped: rotating twice within an overlap ends the oldest URL at once.
 */
export function rotatedTokenSecret(
  current: TokenSecret,
  newToken: string,
  now: number,
  overlapMs: number,
): TokenSecret {
  if (overlapMs <= 0) return { token: newToken };
  return { token: newToken, previousToken: current.token, previousValidUntil: new Date(now + overlapMs).toISOString() };
}
