import { escapeTeams } from '../../../../functions/chat/teams/escape';
import { unescapeTeams } from '../../../support/markup';

describe('escapeTeams', () => {
  it.each([
    ['[click](https://evil.example)', '\\[click\\]\\(https://evil.example\\)'],
    ['**bold** _it_ ~s~ `c`', '\\*\\*bold\\*\\* \\_it\\_ \\~s\\~ \\`c\\`'],
    ['<at>Jordan</at>', '\\<at\\>Jordan\\</at\\>'],
    ['&lt;at&gt;', '\\&lt;at\\&gt;'],
    ['{{DATE(2017-02-14T06:08:39Z, SHORT)}}', '\\{\\{DATE\\(2017-02-14T06:08:39Z, SHORT\\)\\}\\}'],
    ['a\\b', 'a\\\\b'],
    ['![i](x) | y', '\\!\\[i\\]\\(x\\) \\| y'],
    // List and heading markers only act at the start of a line; elsewhere dots and dashes stay readable.
    ['- item', '\\- item'],
    ['+ item', '\\+ item'],
    ['# heading', '\\# heading'],
    ['12. item', '12\\. item'],
    ['jordan.lee@patients.example.org', 'jordan.lee@patients.example.org'],
    ['c0ffee00-1234-4abc', 'c0ffee00-1234-4abc'],
  ])('%j → %j', (input, escaped) => {
    expect(escapeTeams(input)).toBe(escaped);
    expect(unescapeTeams(escapeTeams(input))).toBe(input);
  });
});
