/**
 * The inspector's Slack actions panel in a real browser: buttons clicked in Slack (signed requests to the local
 * relay's interactivity route), one of them forged, then the page read back: who did what, when and where, and the
 * refused request counted.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { checkDestinationUrl } from '../../functions/chat';
import { parseRelayConfig } from '../../functions/config';
import { realSleep } from '../../functions/delivery';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { artifactPath, launchChromium } from '../support/browser';
import { startFakeSlackApi, type FakeSlackApi } from '../support/fake-slack-api';
import { clickBody, postSigned } from '../support/slack-clicks';

const SECRET = 'inspectorSigningSecret0123456789';
const CHANNEL = 'C0FAKECHAN1';
let api: FakeSlackApi;
let relay: LocalRelay;
let browser: Browser;

beforeAll(async () => {
  api = await startFakeSlackApi({ channels: [{ id: CHANNEL }] });
  const config = parseRelayConfig(
    {
      destinations: [{ name: 'care-app', kind: 'slack', channel: CHANNEL }],
      routes: [{ events: ['permanent_failure'], to: ['care-app'] }],
    },
    'local',
    checkDestinationUrl,
  );
  relay = await startLocalRelay({
    config,
    token: 'inspector-slack-token',
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    dataDir: mkdtempSync(join(tmpdir(), 'inspector-slack-')),
    env: { RELAY_SLACK_BOT_TOKEN: api.token, RELAY_SLACK_SIGNING_SECRET: SECRET, SLACK_API_BASE_URL: api.baseUrl },
  });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await relay?.close();
  await api?.close();
});

it('lists each Slack action with who, what, when and where, and counts the refused requests', async () => {
  const url = `${relay.baseUrl}/slack/interactivity`;
  const now = Math.floor(Date.now() / 1000);
  const mute = clickBody(
    { name: 'muteSenderDomain', messageKey: 'k-1', senderDomain: 'muted.example.com' },
    { channel: CHANNEL, ts: '1700000000.000100', user: 'U0NURSE42' },
  );
  expect((await postSigned(url, mute, { secret: SECRET, timestamp: now })).status).toBe(200);
  expect((await postSigned(url, mute, { secret: 'forged', timestamp: now + 1 })).status).toBe(401);
  for (let i = 0; i < 200 && api.callsOf('chat.postMessage').length === 0; i++) await realSleep(10);

  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(error.message));
  await page.goto(relay.inspectorUrl!);
  const row = page.locator('#slack-actions tbody tr', { hasText: 'Mute sender domain 4 h' });
  await row.waitFor({ timeout: 10_000 });
  const cells = await row.locator('td').allTextContents();
  expect(cells.slice(1)).toEqual([
    'U0NURSE42',
    'Mute sender domain 4 h',
    expect.stringMatching(/^muted\.example\.com, silence s-[0-9a-f]{8}, until .+, message k-1$/),
    'care-app',
  ]);
  await expect(page.locator('#slack-action-counts').textContent()).resolves.toContain(
    '1 acted on, 1 refused (401), 0 ignored',
  );
  await page.locator('#slack-actions').screenshot({ path: artifactPath('inspector-slack-actions.png') });
  expect(problems).toEqual([]);
  await page.close();
});
