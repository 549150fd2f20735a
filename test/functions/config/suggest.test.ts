import { closestMatch, didYouMean, editDistance } from '../../../functions/config/suggest';

describe('suggest', () => {
  it('counts a swap of adjacent letters as one edit', () => {
    expect(editDistance('detial', 'detail')).toBe(1);
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
  });

  it('suggests the nearest known word within a couple of typos, and nothing for a stranger', () => {
    const keys = ['name', 'kind', 'detail', 'url', 'digest', 'rateLimit'];
    expect(closestMatch('detial', keys)).toBe('detail');
    expect(closestMatch('ratelimit', keys)).toBe('rateLimit');
    expect(closestMatch('digets', keys)).toBe('digest');
    expect(closestMatch('colour', keys)).toBeUndefined();
    // Short words allow one edit only: "ur" is "url", "xy" is nothing.
    expect(closestMatch('ur', keys)).toBe('url');
    expect(closestMatch('xy', keys)).toBeUndefined();
    expect(didYouMean('opz', ['ops', 'care-team'])).toBe('; did you mean "ops"?');
    expect(didYouMean('billing', ['ops', 'care-team'])).toBe('');
  });
});
