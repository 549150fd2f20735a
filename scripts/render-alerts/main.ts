/**
 * `npm run render-alerts`: renders every kind of alert (Slack and Teams, single and digest, each detail level) to
 * PNG with headless Chromium, into .render-alerts/, and the README's four pictures into docs/images/.
 */
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { launchChromium } from '../../test/support/browser';
import { renderSlackView } from '../../functions/chat/slack/render';
import { renderTeamsView } from '../../functions/chat/teams/render';
import { samples } from './samples';
import { slackHtml } from './slack-html';
import { teamsHtml } from './teams-html';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, '.render-alerts');
/** The reader the pictures are taken for: Slack and Teams show times in the reader's own zone. */
const READER_ZONE = 'America/New_York';
const README_PICTURES: Readonly<Record<string, string>> = {
  'slack-single-permanent-failure-minimal': 'slack-alert.png',
  'slack-digest-failures-minimal': 'slack-digest.png',
  'teams-single-temporary-failure-minimal': 'teams-alert.png',
  'teams-digest-failures-minimal': 'teams-digest.png',
};

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ timezoneId: READER_ZONE, locale: 'en-US', deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    const renderer = readFileSync(require.resolve('adaptivecards/dist/adaptivecards.min.js'), 'utf8');
    for (const { name, view } of samples()) {
      // Posted a few seconds after its (last) event: the time beside the sender never precedes the event's own.
      const at = 'digest' in view ? view.lastAt : 'at' in view ? view.at : undefined;
      await page.setContent(slackHtml(renderSlackView(view), READER_ZONE, (at ?? Date.now()) + 3000));
      await page.locator('.message').screenshot({ path: join(OUT, `slack-${name}.png`) });
      await page.setContent(teamsHtml(renderTeamsView(view), renderer));
      // A card the renderer refused would be a picture of nothing.
      if (errors.length > 0) throw new Error(`the Teams card ${name} did not render: ${errors.join('; ')}`);
      await page.locator('#post').screenshot({ path: join(OUT, `teams-${name}.png`) });
    }
    for (const [from, to] of Object.entries(README_PICTURES)) {
      copyFileSync(join(OUT, `${from}.png`), join(ROOT, 'docs', 'images', to));
    }
    process.stdout.write(`Rendered ${samples().length * 2} pictures into ${OUT}; README pictures in docs/images/\n`);
  } finally {
    await browser.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`render-alerts: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
