import { tokenMatches } from '../../../functions/ingest/token';

describe('tokenMatches', () => {
  const token = 'a'.repeat(48);

  it('matches the expected token only', () => {
    expect(tokenMatches(token, token)).toBe(true);
    expect(tokenMatches(`${token}x`, token)).toBe(false);
    expect(tokenMatches(token.slice(1), token)).toBe(false);
    expect(tokenMatches('A'.repeat(48), token)).toBe(false);
  });

  it('matches nothing when no token was presented or none is expected', () => {
    expect(tokenMatches(undefined, token)).toBe(false);
    expect(tokenMatches('', '')).toBe(false);
  });
});
