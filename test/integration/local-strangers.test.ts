import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRelayConfig } from '../../functions/config';
import { checkDestinationUrl } from '../../functions/chat';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { captureLogger } from '../support/capture-logger';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';
import { postWebhooks } from '../support/post-webhooks';

/*
 * Strangers stay outside, locally: a flood of wrong-token requests is answered 401 each, reaches no chat and no
 * quarantine, and is logged at most once a minute (with the count and the callers' address, never the token).
 */
const TOKEN = 'Str4ngerTestStr4ngerTestStr4ngerTestStr4ngerTest';
const WRONG = 'Wr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0ngWr0n';
const logger = captureLogger();
let slack: FakeChatServer;
let relay: LocalRelay;
let dataDir: string;

const body = readFileSync(join(__dirname, '..', 'fixtures', 'paubox', 'permanent_failure.json'), 'utf8');

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'relay-strangers-'));
  slack = await startFakeChatServer(SLACK_OK, '/services/T1/B1/strangers');
  relay = await startLocalRelay({
    config: parseRelayConfig(
      {
        destinations: [{ name: 'ops', kind: 'slack', url: slack.url }],
        routes: [{ events: ['permanent_failure'], to: ['ops'] }],
      },
      'local',
      checkDestinationUrl,
    ),
    token: TOKEN,
    fingerprintKey: 'strangers-test-fingerprint-key',
    logger,
    port: 0,
    dataDir,
    inspector: false,
  });
});

afterAll(async () => {
  await relay?.close();
  await slack?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('wrong-token requests to the local relay', () => {
  it('1,000 of them: 1,000 answers of 401, no chat post, no quarantine entry, at most two log lines', async () => {
    const statuses = await postWebhooks(`${relay.baseUrl}/paubox/${WRONG}`, Array(1000).fill(body), 20);
    await relay.idle();
    expect(statuses.filter((s) => s === 401)).toHaveLength(1000);
    expect(slack.received).toHaveLength(0);
    const quarantine = join(dataDir, 'quarantine');
    expect(existsSync(quarantine) ? readdirSync(quarantine).filter((f) => f.endsWith('.jsonl')) : []).toEqual([]);
    await relay.close();
    // The first refusal at once; the rest counted, and written when the minute ends (here: when the relay stops).
    expect(logger.lines).toHaveLength(2);
    expect(logger.lines.map((l) => l.fields.count)).toEqual([1, 999]);
    for (const line of logger.lines) {
      expect(line.fields).toMatchObject({ status: 401 });
      expect(line.fields.remoteAddress).toMatch(/127\.0\.0\.1/);
    }
    expect(logger.text()).not.toContain(WRONG);
    expect(logger.text()).not.toContain(TOKEN);
  });
});
