import { TokenSecretError } from '../../../functions/ingest/errors';
import { parseTokenSecret, rotatedTokenSecret, validTokens } from '../../../functions/ingest/token-secret';

const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const HOUR = 3_600_000;
const OLD = 'O'.repeat(48);
const NEW = 'N'.repeat(48);

describe('token secret', () => {
  it('reads a plain string as one token, as stacks generate it and older stacks hold it', () => {
    expect(parseTokenSecret(`${OLD}\n`)).toEqual({ token: OLD });
    expect(validTokens(parseTokenSecret(OLD), NOW)).toEqual([OLD]);
  });

  it('accepts the previous token until its overlap ends, and not a millisecond after', () => {
    const secret = parseTokenSecret(JSON.stringify(rotatedTokenSecret({ token: OLD }, NEW, NOW, 72 * HOUR)));
    expect(secret).toEqual({ token: NEW, previousToken: OLD, previousValidUntil: '2026-11-23T12:00:00.000Z' });
    expect(validTokens(secret, NOW)).toEqual([NEW, OLD]);
    expect(validTokens(secret, NOW + 72 * HOUR - 1)).toEqual([NEW, OLD]);
    expect(validTokens(secret, NOW + 72 * HOUR)).toEqual([NEW]);
  });

  it('ends the oldest token at once when rotating twice within an overlap, and keeps none with no overlap', () => {
    const once = rotatedTokenSecret({ token: OLD }, NEW, NOW, HOUR);
    const twice = rotatedTokenSecret(once, 'T'.repeat(48), NOW + 1000, HOUR);
    expect(validTokens(twice, NOW + 2000)).toEqual(['T'.repeat(48), NEW]);
    expect(rotatedTokenSecret({ token: OLD }, NEW, NOW, 0)).toEqual({ token: NEW });
  });

  it.each([
    ['empty', '  '],
    ['broken JSON', '{"token": '],
    ['JSON without a token', '{"previousToken":"x"}'],
    ['a previous token without its expiry', `{"token":"${NEW}","previousToken":"${OLD}"}`],
    [
      'a previous token with an unreadable expiry',
      `{"token":"${NEW}","previousToken":"${OLD}","previousValidUntil":"soon"}`,
    ],
  ])('refuses %s with a message that holds no token', (_label, raw) => {
    let caught: unknown;
    try {
      parseTokenSecret(raw);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(TokenSecretError);
    expect((caught as Error).message).not.toContain(OLD);
    expect((caught as Error).message).not.toContain(NEW);
  });
});
