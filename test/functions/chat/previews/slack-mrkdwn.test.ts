import * as fc from 'fast-check';
import { cleanText } from '../../../../functions/alerts';
import { slackLiteral } from '../../../../functions/chat';
import { parseMrkdwn } from '../../../../functions/chat/previews/slack-mrkdwn';
import { HOSTILE_STRINGS } from '../../../support/events';

describe('parseMrkdwn', () => {
  it('reads bold, italic, strike, code and fenced blocks as Slack shows them', () => {
    expect(parseMrkdwn('*Event* _it_ ~gone~ `x<y`')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'Event' }] },
      { type: 'text', text: ' ' },
      { type: 'italic', children: [{ type: 'text', text: 'it' }] },
      { type: 'text', text: ' ' },
      { type: 'strike', children: [{ type: 'text', text: 'gone' }] },
      { type: 'text', text: ' ' },
      { type: 'code', text: 'x<y' },
    ]);
    expect(parseMrkdwn('a```\nb *c*```')).toEqual([
      { type: 'text', text: 'a' },
      { type: 'pre', text: 'b *c*' },
    ]);
    expect(parseMrkdwn('2*3*4')).toEqual([{ type: 'text', text: '2*3*4' }]);
  });

  it('shows links and mentions as what they would become', () => {
    expect(parseMrkdwn('<!channel> <@U123> <#C9|ops> <https://x.example|site> &lt;b&gt; &amp;')).toEqual([
      { type: 'mention', label: '@channel' },
      { type: 'text', text: ' ' },
      { type: 'mention', label: '@U123' },
      { type: 'text', text: ' ' },
      { type: 'mention', label: '#ops' },
      { type: 'text', text: ' ' },
      { type: 'link', url: 'https://x.example', label: 'site' },
      { type: 'text', text: ' <b> &' },
    ]);
    expect(parseMrkdwn('> quoted\nnext')).toEqual([
      { type: 'quote', children: [{ type: 'text', text: 'quoted' }] },
      { type: 'br' },
      { type: 'text', text: 'next' },
    ]);
  });

  it("keeps the relay's date token a date, and shows a malformed one's fallback", () => {
    expect(parseMrkdwn('*Time*\n<!date^1795183391^{date_short_pretty} {time}|2026-11-20 14:03 UTC>')).toEqual([
      { type: 'bold', children: [{ type: 'text', text: 'Time' }] },
      { type: 'br' },
      { type: 'date', seconds: 1795183391, format: '{date_short_pretty} {time}', fallback: '2026-11-20 14:03 UTC' },
    ]);
    expect(parseMrkdwn('<!date^soon^{date}|later>')).toEqual([{ type: 'text', text: 'later' }]);
  });

  it('finds no mention, link or formatting in text the relay made literal, and shows its characters', () => {
    // biome-ignore lint/nursery/noFloatingPromises: fc.assert of a synchronous property returns nothing
    fc.assert(
      fc.property(fc.oneof(fc.constantFrom(...HOSTILE_STRINGS), fc.string({ unit: 'grapheme' })), (raw) => {
        const text = cleanText(raw);
        fc.pre(text !== '');
        const nodes = parseMrkdwn(slackLiteral(text));
        expect(nodes.every((n) => n.type === 'text')).toBe(true);
        const shown = nodes.map((n) => (n.type === 'text' ? n.text : '')).join('');
        expect(shown).toBe(
          text.replace(/\*/g, '\u2217').replace(/_/g, '\uFF3F').replace(/~/g, '\u223C').replace(/`/g, '\u02CB'),
        );
      }),
      { seed: 20261202, numRuns: 2000 },
    );
  });
});
