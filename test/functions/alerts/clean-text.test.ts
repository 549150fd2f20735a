import { formatCount, cleanText, cut, tidy } from '../../../functions/alerts/clean-text';

describe('cleanText, cut and tidy', () => {
  it.each([
    ['\u001b[31mred\u001b[0m', '[31mred[0m'],
    ['a\u009b2Jb', 'a2Jb'],
    ['a\u0000b\u0007c\u007fd', 'abcd'],
    ['one\ntwo\r\nthree\tfour\u2028five\u0085six', 'one two three four five six'],
    ['  lots   of\u00a0 space  ', 'lots of space'],
    ['\u202Eevil\u202C \u2066iso\u2069 zero\u200Bwidth\uFEFF', 'evil iso zerowidth'],
    ['lone \uD800 high, lone \uDC00 low', 'lone \uFFFD high, lone \uFFFD low'],
    ['👩‍⚕️ Müller 日本語', '👩‍⚕️ Müller 日本語'],
  ])('cleanText(%j) is %j', (input, output) => {
    expect(cleanText(input)).toBe(output);
  });

  it('cut leaves short values alone and cuts long ones to the limit, ellipsis included', () => {
    expect(cut('abcdef', 6)).toBe('abcdef');
    expect(cut('abcdefg', 6)).toBe('abcde…');
    expect(cut('abcdefg', 6)).toHaveLength(6);
    expect(cut('abc   defg', 6)).toBe('abc…');
  });

  it('cut never splits a surrogate pair', () => {
    // '🚨' is two UTF-16 units: a cut after 'a' + half of it drops the whole emoji.
    expect(cut('a🚨🚨🚨', 3)).toBe('a…');
    expect(cut('a🚨🚨🚨', 4)).toBe('a🚨…');
    for (let max = 1; max < 12; max++) {
      expect(cut('🚨'.repeat(10), max)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
      expect(cut('🚨'.repeat(10), max).length).toBeLessThanOrEqual(max);
    }
  });

  it('tidy shows an empty value as "(empty)"', () => {
    expect(tidy('\u001b\u0000 \n', 10)).toBe('(empty)');
    expect(tidy(' x\ny ', 10)).toBe('x y');
  });
});

describe('formatCount', () => {
  it('groups thousands as en-US does, without Intl', () => {
    for (const n of [0, 7, 999, 1000, 1234, 52_000, 1_000_000, 987_654_321]) {
      expect(formatCount(n)).toBe(n.toLocaleString('en-US'));
    }
  });
});
