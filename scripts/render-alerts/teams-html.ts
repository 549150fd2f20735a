import type { TeamsMessage } from '../../functions/chat';

/**
 * A page that renders the card with Microsoft's `adaptivecards` renderer (the same package the tests parse cards
 * with), in colours close to Teams' light theme. DATE() and TIME() are formatted by the renderer in the browser's
 * own zone and locale, as Teams does for each reader.
 */
/** `renderer`: the source of `adaptivecards/dist/adaptivecards.min.js`, inlined so the page needs no server. */
export function teamsHtml(message: TeamsMessage, renderer: string): string {
  const card = JSON.stringify(message.attachments[0].content).replace(/</g, '\\u003c');
  const hostConfig = JSON.stringify({
    fontFamily: "'Liberation Sans', 'DejaVu Sans', Arial, sans-serif",
    spacing: { small: 4, default: 8, medium: 16, large: 20, extraLarge: 24, padding: 16 },
    fontSizes: { small: 12, default: 14, medium: 16, large: 18, extraLarge: 22 },
    containerStyles: {
      default: {
        backgroundColor: '#FFFFFF',
        foregroundColors: {
          default: { default: '#242424', subtle: '#616161' },
          accent: { default: '#5B5FC7', subtle: '#5B5FC7' },
          good: { default: '#0E7A0B', subtle: '#0E7A0B' },
          warning: { default: '#835B00', subtle: '#835B00' },
          attention: { default: '#C4314B', subtle: '#C4314B' },
        },
      },
    },
    factSet: { title: { weight: 'bolder', wrap: true, maxWidth: 170 }, value: { wrap: true }, spacing: 10 },
  });
  return `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; background: #f5f5f5; font-family: 'Liberation Sans', 'DejaVu Sans', Arial, sans-serif; }
#post { width: 600px; margin: 12px 20px; background: #fff; border-radius: 6px; box-shadow: 0 1px 2px #0002; }
#head { padding: 10px 16px 0; font-size: 12px; color: #616161; } #head b { color: #242424; }
.ac-textBlock p { margin: 0; }
</style><div id="post">
<div id="head"><b>Workflows</b> · Paubox alert relay via Workflows</div><div id="card"></div></div>
<script>${renderer}</script>
<script>
{
  // A block: pages are reused, and a second top-level const would not run.
  // Teams reads TextBlocks as markdown: backslash escapes show the character, paragraphs split on blank lines.
  const html = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  AdaptiveCards.AdaptiveCard.onProcessMarkdown = (text, result) => {
    const paragraphs = text.split('\\n\\n').map((p) => html(p.replace(/\\\\([!-\\/:-@[-\\\`{-~])/g, '$1')));
    result.outputHtml = paragraphs.map((p) => '<p>' + p + '</p>').join('');
    result.didProcess = true;
  };
  const card = new AdaptiveCards.AdaptiveCard();
  card.hostConfig = new AdaptiveCards.HostConfig(${hostConfig});
  card.parse(${card});
  document.getElementById('card').appendChild(card.render());
}
</script>`;
}
