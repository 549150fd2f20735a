import { parseJsonText, readEventTime } from '../../../functions/paubox/lenient';

describe('parseJsonText', () => {
  it('drops a leading BOM and keeps integers beyond 2^53 whole, as strings', () => {
    expect(parseJsonText('\ufeff{"id":9007199254740993,"n":42,"s":"9007199254740993123","f":1.5e300}')).toEqual({
      id: '9007199254740993',
      n: 42,
      s: '9007199254740993123',
      f: 1.5e300,
    });
    expect(parseJsonText('[-90071992547409931, 9007199254740991]')).toEqual(['-90071992547409931', 9007199254740991]);
    // Digits inside strings, escaped quotes among them, are left alone.
    expect(parseJsonText('{"a":"x\\" 99999999999999999999"}')).toEqual({ a: 'x" 99999999999999999999' });
  });

  it('still refuses what is not JSON', () => {
    expect(() => parseJsonText('{"a":')).toThrow(SyntaxError);
  });
});

describe('readEventTime', () => {
  const at = '2026-11-20T14:03:11.000Z';
  const epoch = Date.parse(at) / 1000;
  it.each<[string, unknown, string | undefined]>([
    ['ISO 8601 with an offset', '2026-11-20T16:03:11+02:00', at],
    ['ISO 8601 without an offset, as UTC', '2026-11-20T14:03:11', at],
    ['a space for the T, without an offset', '2026-11-20 14:03:11', at],
    ['RFC 2822', 'Fri, 20 Nov 2026 14:03:11 +0000', at],
    ['epoch seconds', epoch, at],
    ['epoch milliseconds', epoch * 1000, at],
    ['epoch seconds as text', String(epoch), at],
    ['epoch milliseconds as text', ` ${epoch * 1000} `, at],
    ['words', 'Tuesday at noon', undefined],
    ['an object', { at }, undefined],
    ['a number beyond dates', 1e20, undefined],
  ])('reads %s', (_label, value, expected) => {
    expect(readEventTime(value)).toBe(expected);
  });
});
