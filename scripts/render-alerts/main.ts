/**
 * `npm run render-alerts`: renders every kind of alert (Slack and Teams, single and digest, each detail level) to
 * PNG with headless Chromium, into .render-alerts/, and the pictures of the README and docs/alerts.md into
 * docs/images/. The bodies are those the relay sends; the rendering is the inspector's previews (functions/previews).
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { CHAT_KINDS, renderChatBody } from '../../functions/chat';
import { launchChromium } from '../../test/support/browser';
import { appSamples } from './app-samples';
import { PICTURE, renderPageHtml, showChatBody, showSlackThread, type ChatBody } from './page-html';
import { samples } from './samples';

const ROOT = join(__dirname, '..', '..');
const OUT = join(ROOT, '.render-alerts');
/** The reader the pictures are taken for: Slack and Teams show times in the reader's own zone. */
const READER_ZONE = 'America/New_York';
const README_PICTURES: Readonly<Record<string, string>> = {
  'slack-single-permanent-failure-minimal': 'slack-alert.png',
  'slack-digest-failures-minimal': 'slack-digest.png',
  'teams-single-temporary-failure-minimal': 'teams-alert.png',
  'teams-digest-failures-minimal': 'teams-digest.png',
  'slack-rate-alert': 'slack-rate-alert.png',
  'teams-rate-alert': 'teams-rate-alert.png',
  'slack-rate-reminder': 'slack-rate-reminder.png',
  'teams-rate-resolved': 'teams-rate-resolved.png',
  'slack-silence-ended': 'slack-silence-ended.png',
  'teams-silence-ended': 'teams-silence-ended.png',
  'slack-advice': 'slack-advice.png',
  'slack-app-buttons': 'slack-app-buttons.png',
  'slack-app-thread': 'slack-app-thread.png',
};

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  const html = await renderPageHtml();
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ timezoneId: READER_ZONE, locale: 'en-US', deviceScaleFactor: 2 });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await page.setContent(html);
    for (const { name, view } of samples()) {
      const bodies: ChatBody[] = CHAT_KINDS.map((kind) => renderChatBody(kind, view));
      for (const chat of bodies) {
        await showChatBody(page, chat);
        // A body the page failed on would be a picture of nothing.
        if (errors.length > 0) throw new Error(`the ${chat.kind} body ${name} did not render: ${errors.join('; ')}`);
        await page.locator(PICTURE).screenshot({ path: join(OUT, `${chat.kind}-${name}.png`) });
      }
    }
    for (const { name, first, replies } of appSamples()) {
      await showSlackThread(page, first, replies);
      if (errors.length > 0) throw new Error(`${name} did not render: ${errors.join('; ')}`);
      await page.locator(PICTURE).screenshot({ path: join(OUT, `${name}.png`) });
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
