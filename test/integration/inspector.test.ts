/**
 * The inspector in a real browser: the relay started as `npm start` starts it, its printed `Inspector:` URL opened
 * in headless Chromium, webhooks posted as Paubox posts them, and what the page shows read back from the page.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { sampleBody } from '../../functions/local';
import { renderPageHtml, showChatBody, type ChatBody } from '../../scripts/render-alerts/page-html';
import { artifactPath, launchChromium } from '../support/browser';
import { endChild } from '../support/child-process';
import { SLACK_OK, startFakeChatServer, TEAMS_ACCEPTED, type FakeChatServer } from '../support/fake-chat-server';

const BIN = join(__dirname, '..', '..', 'bin', 'paubox-relay.js');
const SUBJECT = 'Your appointment on Tuesday';
const RECIPIENT = 'jordan.lee@patients.example.org';

let slack: FakeChatServer;
let teams: FakeChatServer;
let billing: FakeChatServer;
let relay: ChildProcessWithoutNullStreams;
let browser: Browser;
let page: Page;
let inspectorUrl: URL;
let webhookUrl: string;
let printed = '';
const requests: string[] = [];
const problems: string[] = [];

async function started(pattern: RegExp, ms = 20_000): Promise<string> {
  const deadline = Date.now() + ms;
  for (;;) {
    const match = pattern.exec(printed);
    if (match) return match[1]!;
    if (Date.now() > deadline) throw new Error(`the relay did not print ${pattern}:\n${printed}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const post = (name: 'permanent_failure' | 'temporary_failure') =>
  fetch(webhookUrl, { method: 'POST', headers: { 'content-type': 'application/json' }, body: sampleBody(name, false) });

beforeAll(async () => {
  [slack, teams, billing] = await Promise.all([
    startFakeChatServer(SLACK_OK, '/services/T1/B1/ops'),
    startFakeChatServer(TEAMS_ACCEPTED, '/workflows/ops'),
    startFakeChatServer(SLACK_OK, '/services/T1/B2/billing'),
  ]);
  // The billing channel is "revoked" for its first post: that alert is dead-lettered, for the page to redrive.
  // `serve` first probes it silently (`{}`, which a live Slack webhook refuses with 400 no_text).
  billing.script.push({ status: 400, body: 'no_text' }, { status: 404, body: 'no_service' });
  const dir = mkdtempSync(join(tmpdir(), 'relay-inspector-browser-'));
  const config = join(dir, 'relay.config.json');
  writeFileSync(
    config,
    JSON.stringify({
      destinations: [
        { name: 'ops-slack', kind: 'slack', url: slack.url, rateLimit: { messagesPerSecond: 100 } },
        { name: 'ops-teams', kind: 'teams', url: teams.url, detail: 'recipient' },
        { name: 'billing', kind: 'slack', url: billing.url, rateLimit: { messagesPerSecond: 100 } },
      ],
      routes: [
        { events: ['permanent_failure', 'temporary_failure'], to: ['ops-slack', 'ops-teams'] },
        { events: ['permanent_failure'], senderDomains: ['clinic.example.com'], to: ['billing'] },
      ],
    }),
  );
  relay = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--config', config], {
    cwd: dir,
    env: { ...process.env, RELAY_DATA_DIR: join(dir, 'data'), RELAY_TOKEN: 'browser-test-token' },
    stdio: 'pipe',
  });
  relay.stdout.on('data', (c: Buffer) => (printed += c.toString()));
  relay.stderr.on('data', (c: Buffer) => (printed += c.toString()));
  [inspectorUrl, webhookUrl] = [new URL(await started(/^Inspector: (\S+)$/m)), await started(/^Webhook URL: (\S+)$/m)];

  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  page.on('request', (request) => requests.push(request.url()));
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' || /Content.Security.Policy/i.test(message.text())) problems.push(message.text());
  });
  await page.goto(inspectorUrl.href);
  await page.waitForSelector('#live.ok', { timeout: 10_000 });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await endChild(relay, 'SIGTERM');
  await Promise.all([slack, teams, billing].map((s) => s?.close()));
});

/** What a channel was sent as alerts: not `serve`'s silent probes (`{}`), nor relay health notices. */
const alertsTo = (server: FakeChatServer) =>
  server.received.filter((r) => r.raw !== '{}' && !r.raw.includes('Relay health:'));

describe('the inspector page', () => {
  it('shows a permanent failure within 2 s: its row, the matched destinations and the chat previews', async () => {
    const posted = Date.now();
    expect((await post('permanent_failure')).status).toBe(202);
    await page.locator('#receipts button.row', { hasText: 'permanent_failure' }).first().waitFor({ timeout: 2000 });
    const routing = page.locator('#detail table').first();
    await routing.locator('tr', { hasText: 'ops-slack' }).locator('text=matched').waitFor({ timeout: 2000 });
    await page
      .locator('.preview[data-kind="slack"] .sk-header', { hasText: 'Message failed to send' })
      .first()
      .waitFor({ timeout: 2000 });
    await page
      .locator('.preview[data-kind="teams"] .ac-adaptiveCard', { hasText: 'Message failed to send' })
      .waitFor({ timeout: 2000 });
    expect(Date.now() - posted).toBeLessThan(2000);

    for (const name of ['ops-slack', 'ops-teams', 'billing']) {
      await expect(routing.locator('tr', { hasText: name }).textContent()).resolves.toMatch(/matched\s*#\d/);
    }
    await expect(routing.locator('tr', { hasText: 'billing' }).textContent()).resolves.toContain(
      'matches *.clinic.example.com',
    );
    // The display level is recipient (ops-teams): the address shows, the subject never does.
    const text = await page.locator('body').textContent();
    expect(text).toContain(RECIPIENT);
    expect(text).not.toContain(SUBJECT);
    // The Slack preview is the body ops-slack received, rendered: its notification text and the labels in bold.
    await page.locator('.delivery[data-destination="ops-slack"] li[data-kind="posted"]').waitFor({ timeout: 2000 });
    const sent = alertsTo(slack)[0]!.json as { text: string };
    await expect(page.locator('.preview[data-kind="slack"] .sk-notification').first().textContent()).resolves.toContain(
      sent.text,
    );
    await expect(page.locator('.preview[data-kind="slack"] .sk-field b').first().textContent()).resolves.toBe('Event');
    await page.screenshot({ path: artifactPath('inspector-1280x800.png') });
    await page.screenshot({ path: artifactPath('inspector-1280-full.png'), fullPage: true });
  });

  it("renders each preview as `npm run render-alerts` renders the same body, dates in the reader's zone", async () => {
    // The Slack time is the reader's, as Slack shows it, not the token's fallback label.
    await expect(page.locator('.preview[data-kind="slack"] .sk-date').first().textContent()).resolves.toMatch(
      /^(Today|Yesterday) \d{1,2}:\d{2} [AP]M$/,
    );
    const pictures = await browser.newPage();
    await pictures.setContent(await renderPageHtml());
    for (const destination of ['ops-slack', 'ops-teams']) {
      const preview = page.locator(`.preview[data-destination="${destination}"]`);
      const chat = {
        kind: await preview.getAttribute('data-kind'),
        body: JSON.parse((await preview.locator('pre.json').first().textContent()) ?? ''),
      } as ChatBody;
      await showChatBody(pictures, chat);
      const shown = await preview.locator('.preview-body').first().innerHTML();
      expect(shown).toContain(chat.kind === 'slack' ? 'sk-message' : 'ac-adaptiveCard');
      expect(await pictures.locator('#stage').innerHTML()).toBe(shown);
    }
    await pictures.close();
  });

  it('shows the same event at full detail with what no destination may see hidden', async () => {
    await page.getByLabel('full').check();
    await page.locator('.preview .note', { hasText: 'are hidden' }).first().waitFor({ timeout: 2000 });
    await expect(page.locator('.preview[data-kind="teams"]').textContent()).resolves.toContain('detail full');
    expect(await page.locator('body').textContent()).not.toContain(SUBJECT);
    await page.getByLabel('as each destination gets it').check();
  });

  it('lists the dead letter with its reason, and redrives it from the page to the fixed channel', async () => {
    const row = page.locator('#dead-letters-body tr', { hasText: 'no_service' });
    await row.waitFor({ timeout: 3000 });
    await expect(row.textContent()).resolves.toContain('billing');
    expect(alertsTo(billing)).toHaveLength(1);
    await row.getByRole('button', { name: /Redrive/ }).click();
    await page.locator('#dead-letters-body', { hasText: 'No dead letters.' }).waitFor({ timeout: 3000 });
    await page
      .locator('.delivery[data-destination="billing"] li[data-kind="redriven"]')
      .first()
      .waitFor({ timeout: 3000 });
    await page.locator('.delivery[data-destination="billing"] .state-posted').first().waitFor({ timeout: 3000 });
    expect(alertsTo(billing)).toHaveLength(2);
  });

  it('sends a sample from its button, and is usable from the keyboard', async () => {
    const rows = page.locator('#receipts button.row');
    const before = await rows.count();
    await page.locator('button[data-sample="temporary_failure"]').click();
    await page.locator('#receipts button.row', { hasText: 'temporary_failure' }).waitFor({ timeout: 3000 });
    expect(await rows.count()).toBe(before + 1);
    await rows.first().focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect(rows.nth(1).getAttribute('aria-pressed')).resolves.toBe('true');
  });

  it('stays readable in a narrow window', async () => {
    await page.setViewportSize({ width: 420, height: 800 });
    // Nothing wider than the window: long values wrap, wide tables scroll in their own box.
    expect(await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)).toBeLessThanOrEqual(0);
    await page.screenshot({ path: artifactPath('inspector-420x800.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  it('shows no event data without the key, and every data endpoint refuses the page without it', async () => {
    const bare = await browser.newPage();
    const answer = await bare.goto(`${inspectorUrl.origin}/inspector/`);
    expect(answer?.status()).toBe(401);
    const text = await bare.locator('body').textContent();
    expect(text).not.toMatch(/permanent_failure|clinic\.example\.com|patients\.example\.org/);
    const statuses = await bare.evaluate(async () =>
      Promise.all(
        ['state', 'feed', 'preview?receipt=1&destination=ops-slack'].map(
          async (p) => (await fetch(`/inspector/api/${p}`)).status,
        ),
      ),
    );
    expect(statuses).toEqual([401, 401, 401]);
    await bare.close();
  });

  it('made every request to the relay itself, and broke no rule of its content policy', () => {
    expect(requests.length).toBeGreaterThan(5);
    for (const url of requests) expect(new URL(url).origin).toBe(inspectorUrl.origin);
    expect(problems).toEqual([]);
  });
});

/**
 * The inspector as a newcomer first sees it: `npm start` with the deploy example (chat destinations without URLs),
 * the two samples sent from the page, then the page read at desktop and at phone width.
 */
describe('the inspector with the example configuration', () => {
  let example: ChildProcessWithoutNullStreams;
  let shown: Page;
  let output = '';

  beforeAll(async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relay-inspector-example-'));
    example = spawn(
      process.execPath,
      [BIN, 'serve', '--port', '0', '--config', join(__dirname, '..', '..', 'relay.config.example.json')],
      { cwd: dir, env: { ...process.env, RELAY_DATA_DIR: join(dir, 'data') }, stdio: 'pipe' },
    );
    example.stdout.on('data', (c: Buffer) => (output += c.toString()));
    example.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const deadline = Date.now() + 20_000;
    let url = /^Inspector: (\S+)$/m.exec(output)?.[1];
    while (url === undefined) {
      if (Date.now() > deadline) throw new Error(`the relay did not print its inspector URL:\n${output}`);
      await new Promise((r) => setTimeout(r, 50));
      url = /^Inspector: (\S+)$/m.exec(output)?.[1];
    }
    shown = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    shown.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    await shown.goto(url);
    await shown.waitForSelector('#live.ok', { timeout: 10_000 });
    for (const sample of ['temporary_failure', 'permanent_failure']) {
      await shown.locator(`button[data-sample="${sample}"]`).click();
      await shown.locator('#receipts button.row', { hasText: sample }).waitFor({ timeout: 3000 });
    }
  }, 60_000);

  afterAll(async () => {
    await shown?.close();
    example?.kill('SIGTERM');
  });

  it('previews the URL-less Slack destination as Slack, and both tables name its platform alike', async () => {
    const ops = shown.locator('.preview[data-destination="ops"]');
    await ops.waitFor({ timeout: 3000 });
    await expect(ops.getAttribute('data-kind')).resolves.toBe('slack');
    await ops
      .locator('.sk-header', { hasText: /Message (failed to send|not delivered yet)/ })
      .waitFor({ timeout: 2000 });
    await expect(ops.locator('.note').first().textContent()).resolves.toContain('No "url" in the configuration');
    await ops.screenshot({ path: artifactPath('inspector-example-slack-preview.png') });
    const platformOf = async (table: string, name: string) =>
      (await shown.locator(`#${table} tr`, { hasText: name }).first().locator('td').nth(1).textContent())?.trim();
    await expect(platformOf('health', 'ops')).resolves.toBe('slack (previewed: no url)');
    await expect(platformOf('config', 'ops')).resolves.toBe('slack');
    await expect(platformOf('health', 'care-team')).resolves.toBe('slack or teams (previewed: no url)');
    await expect(platformOf('config', 'care-team')).resolves.toBe('slack or teams');
    await expect(platformOf('health', 'terminal')).resolves.toBe('console');
  });

  it('gives every time in the lists with its zone', async () => {
    const times = await shown.locator('#receipts time, .timeline time').allTextContents();
    expect(times.length).toBeGreaterThan(3);
    for (const time of times) expect(time).toMatch(/^\d\d:\d\d:\d\d (UTC|GMT[+-]?\d*|[A-Z]{2,5})$/);
  });

  it('at 420 px: no badge taller than twice its text, no domain broken inside a label', async () => {
    await shown.setViewportSize({ width: 420, height: 800 });
    await shown.screenshot({ path: artifactPath('inspector-example-420.png'), fullPage: true });
    await shown.locator('#webhooks').screenshot({ path: artifactPath('inspector-example-420-webhooks.png') });
    const badges = await shown.locator('.pill').evaluateAll((pills) =>
      pills.map((p) => {
        const line = Number.parseFloat(getComputedStyle(p).lineHeight) || p.getBoundingClientRect().height;
        return { text: p.textContent, height: p.getBoundingClientRect().height, line };
      }),
    );
    expect(badges.length).toBeGreaterThan(2);
    for (const b of badges)
      expect({ text: b.text, tall: b.height > 2 * b.line }).toEqual({ text: b.text, tall: false });
    // Every label (the text between dots) of every domain on the page sits on one line. The page may split a
    // domain's text at its dots (<wbr>), so each element's own text nodes are read together.
    const broken = await shown.evaluate(() => {
      const found: string[] = [];
      for (const element of document.body.querySelectorAll('*')) {
        const nodes: { node: Text; from: number }[] = [];
        let text = '';
        for (const child of element.childNodes) {
          if (child instanceof Text) {
            nodes.push({ node: child, from: text.length });
            text += child.data;
          } else if (!(child instanceof HTMLElement && child.tagName === 'WBR')) text += '\n';
        }
        const at = (i: number) => {
          const n = [...nodes].reverse().find((x) => x.from <= i)!;
          return { node: n.node, offset: i - n.from };
        };
        for (const match of text.matchAll(/[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|org|net)\b/g)) {
          let start = match.index;
          for (const label of match[0].split('.')) {
            const [from, to] = [at(start), at(start + label.length - 1)];
            const range = document.createRange();
            range.setStart(from.node, from.offset);
            range.setEnd(to.node, to.offset + 1);
            const tops = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.top)));
            if (tops.size > 1) found.push(`${label} in ${match[0]}`);
            start += label.length + 1;
          }
        }
      }
      return found;
    });
    expect(broken).toEqual([]);
    await shown.setViewportSize({ width: 1280, height: 800 });
  });
});
