import { escapeSlack, slackLiteral } from '../../../../functions/chat/slack/escape';

describe('Slack escaping', () => {
  it('escapeSlack replaces & < > and nothing else', () => {
    expect(escapeSlack('a & <b> *c* _d_')).toBe('a &amp; &lt;b&gt; *c* _d_');
    // Already-escaped input is escaped again, so it shows as typed rather than turning into a mention.
    expect(escapeSlack('&lt;!channel&gt;')).toBe('&amp;lt;!channel&amp;gt;');
  });

  it('slackLiteral also neutralises bold, italic, strike and code', () => {
    expect(slackLiteral('<!here> *b* _i_ ~s~ `c`')).toBe(
      '&lt;!here&gt; \u2217b\u2217 \uFF3Fi\uFF3F \u223Cs\u223C \u02CBc\u02CB',
    );
  });
});
