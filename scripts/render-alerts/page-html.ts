import { join } from 'node:path';
import { build } from 'esbuild';
import type { Page } from 'playwright-core';
import { APP_CHAT_KIND, PREVIEW_PICTURED_CLASS, type ChatBody, type SlackMessage } from '../../functions/chat';

export type { ChatBody };

/** What a picture is taken of: the message as the channel shows it (the inspector adds its notification text). */
export const PICTURE = `.${PREVIEW_PICTURED_CLASS}`;

/** The page, with page.ts and its style sheets bundled in: it loads nothing from anywhere. */
export async function renderPageHtml(): Promise<string> {
  const result = await build({
    entryPoints: { page: join(__dirname, 'page.ts') },
    bundle: true,
    write: false,
    outdir: 'render-alerts-out',
    format: 'iife',
    platform: 'browser',
    target: ['chrome110'],
    logLevel: 'silent',
  });
  const text = (ext: string): string => result.outputFiles.find((f) => f.path.endsWith(ext))?.text ?? '';
  // Inlined: a `</script>` or `</style>` inside would end the element early.
  const inline = (source: string, tag: string): string => source.replace(new RegExp(`</${tag}`, 'gi'), `<\\/${tag}`);
  return `<!doctype html><meta charset="utf-8"><style>
body { margin: 0; background: #fff; }
#stage { width: 600px; padding: 12px 20px; }
${inline(text('.css'), 'style')}</style><div id="stage"></div><script>${inline(text('.js'), 'script')}</script>`;
}

/** Shows a body on a page opened with `renderPageHtml()`; throws when the renderer could not render it. */
export async function showChatBody(page: Page, chat: ChatBody): Promise<void> {
  await page.evaluate((c) => (globalThis as unknown as { showChatBody(c: ChatBody): void }).showChatBody(c), chat);
  if ((await page.locator('#stage .error').count()) > 0) {
    throw new Error(`the ${chat.kind} body did not render: ${await page.locator('#stage .error').textContent()}`);
  }
}

/** Shows a Slack app's message with its buttons, or its thread when it has replies. */
export async function showSlackThread(
  page: Page,
  first: SlackMessage,
  replies: readonly SlackMessage[],
): Promise<void> {
  if (replies.length === 0) return showChatBody(page, { kind: APP_CHAT_KIND, body: first });
  await page.evaluate(
    ([f, r]) =>
      (globalThis as unknown as { showSlackThread(f: SlackMessage, r: readonly SlackMessage[]): void }).showSlackThread(
        f,
        r,
      ),
    [first, replies] as const,
  );
}
