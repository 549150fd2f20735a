import * as fc from 'fast-check';
import { cleanText } from '../../../../functions/alerts';
import { escapeTeams } from '../../../../functions/chat';
import { teamsMarkdownToHtml } from '../../../../functions/chat/previews/teams-markdown';
import { HOSTILE_STRINGS } from '../../../support/events';

const ALLOWED_TAGS = /<\/?(p|ul|ol|li|strong|em|code)>|<span class="ac-link" title="[^"<>]*">|<\/span>/g;

/** What a reader sees: the HTML without its tags, entities read back. */
function visibleText(html: string): string {
  return html
    .replace(ALLOWED_TAGS, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&');
}

describe('teamsMarkdownToHtml', () => {
  it('renders the markdown Teams supports', () => {
    expect(teamsMarkdownToHtml('**Event** is _here_')).toBe('<p><strong>Event</strong> is <em>here</em></p>');
    expect(teamsMarkdownToHtml('a\n\nb')).toBe('<p>a</p><p>b</p>');
    expect(teamsMarkdownToHtml('- one\n- two')).toBe('<ul><li>one</li><li>two</li></ul>');
    expect(teamsMarkdownToHtml('1. one\n2. two')).toBe('<ol><li>one</li><li>two</li></ol>');
    expect(teamsMarkdownToHtml('[site](https://evil.example)')).toBe(
      '<p><span class="ac-link" title="https://evil.example">site</span></p>',
    );
  });

  it('reads backslash escapes as the characters themselves', () => {
    expect(teamsMarkdownToHtml('\\*\\*not bold\\*\\* \\[x\\]\\(y\\) \\<at\\>')).toBe(
      '<p>**not bold** [x](y) &lt;at&gt;</p>',
    );
    expect(teamsMarkdownToHtml('\\- not a list')).toBe('<p>- not a list</p>');
  });

  it('never lets input make a tag or attribute of its own', () => {
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(
        fc.oneof(
          fc.constantFrom(...HOSTILE_STRINGS, '<img src=x onerror=alert(1)>', '[a](x" onclick="y)'),
          fc.string(),
        ),
        (text) => {
          const html = teamsMarkdownToHtml(text);
          expect(html.replace(ALLOWED_TAGS, '')).not.toMatch(/[<>"]/);
        },
      ),
      { seed: 20261202, numRuns: 2000 },
    );
  });

  it('shows text escaped by the relay exactly as it was, with no formatting', () => {
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'grapheme' })), (raw) => {
        const text = cleanText(raw);
        fc.pre(text !== '');
        const html = teamsMarkdownToHtml(escapeTeams(text));
        expect(html).toMatch(/^<p>/);
        expect(html.slice(3, -4)).not.toMatch(/<(strong|em|code|span|ul|ol|li)/);
        expect(visibleText(html)).toBe(text);
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });
});
