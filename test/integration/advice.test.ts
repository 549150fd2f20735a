import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlackMessage } from '../../functions/chat';
import type { TeamsMessage } from '../../functions/chat';
import { runCli } from '../../functions/cli';
import type { RelayConfig } from '../../functions/config';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { captureIo } from '../support/deployed-stack';
import type { FakeChatServer } from '../support/fake-chat-server';
import { slackAndTeamsConfig, startSlackAndTeams } from '../support/slack-and-teams';
import { slackTextObjects, teamsCardTexts } from '../support/markup';
import { postWebhooks } from '../support/post-webhooks';

/*
 * Repeat-bounce advice on the local relay: the third hard bounce of one address within 30 days makes its alert say
 * to stop sending there; the advice is listed by `suppressions --local --json`, found by `fingerprint <address>`,
 * and kept across a restart. The address itself is never written to the data dir.
 */

const TOKEN = 'advice-test-token';
const KEY = 'advice-fingerprint-key';
const ADDRESS = 'pat.lee@patients.example.org';
const base = JSON.parse(
  readFileSync(join(__dirname, '..', 'fixtures', 'paubox', 'permanent_failure.json'), 'utf8'),
) as { payload: Record<string, unknown> };
let nextId = 1;
const bounce = (to = ADDRESS) => JSON.stringify({ ...base, payload: { ...base.payload, id: nextId++, to } });

let slack: FakeChatServer;
let teams: FakeChatServer;
let relay: LocalRelay;
let config: RelayConfig;
let dataDir: string;

const start = () =>
  startLocalRelay({
    config,
    token: TOKEN,
    fingerprintKey: KEY,
    logger: silentLogger,
    port: 0,
    dataDir,
    inspector: false,
  });
const cli = async (...args: string[]) => {
  let out = '';
  const io = { ...captureIo(), env: { RELAY_DATA_DIR: dataDir, RELAY_FINGERPRINT_KEY: KEY, RELAY_TOKEN: TOKEN } };
  const code = await runCli(args, { ...io, out: (t) => (out += t) });
  return { code, out };
};
async function send(bodies: string[]): Promise<void> {
  expect(await postWebhooks(relay.webhookUrl, bodies, 1)).toEqual(bodies.map(() => 202));
  await relay.idle();
  // What the relay's periodic check does: the advice file is written, for the CLI to read.
  await relay.checkSending();
}
const lastSlackGuidance = () =>
  slackTextObjects(slack.received.at(-1)!.json as SlackMessage)
    .map((t) => t.text)
    .find((t) => t.startsWith('What to do:'))!;

beforeAll(async () => {
  ({ slack, teams } = await startSlackAndTeams());
  config = slackAndTeamsConfig({ slack, teams }, ['permanent_failure']);
  dataDir = mkdtempSync(join(tmpdir(), 'advice-'));
  relay = await start();
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([slack, teams].map((s) => s?.close()));
});

describe('repeat-bounce advice', () => {
  it('says nothing for two hard bounces, and to stop sending at the third', async () => {
    await send([bounce(), bounce(), bounce('someone.else@patients.example.org')]);
    expect(slack.received).toHaveLength(3);
    for (const posted of [...slack.received, ...teams.received]) expect(posted.raw).not.toContain('Stop sending');
    await send([bounce()]);
    const fingerprint = (await cli('fingerprint', ADDRESS, '--local')).out.split(':')[0]!;
    expect(fingerprint).toMatch(/^r-[0-9a-f]{10}$/);
    expect(lastSlackGuidance()).toContain(`Stop sending to ${fingerprint}: 3 hard bounces within 30 days.`);
    const teamsTexts = teamsCardTexts(teams.received.at(-1)!.json as TeamsMessage).join('\n');
    expect(teamsTexts).toContain(`Stop sending to ${fingerprint}: 3 hard bounces within 30 days.`);
  });

  it('is listed by suppressions --local --json, by fingerprint and never by address', async () => {
    const { code, out } = await cli('suppressions', '--local', '--json');
    expect(code).toBe(0);
    const listed = JSON.parse(out) as { fingerprint: string; count: number; recipientDomain: string }[];
    const fingerprint = (await cli('fingerprint', ADDRESS, '--local')).out.split(':')[0]!;
    expect(listed).toEqual([
      expect.objectContaining({ fingerprint, count: 3, recipientDomain: 'patients.example.org' }),
    ]);
    expect(readFileSync(join(dataDir, 'advice.json'), 'utf8')).not.toContain('pat.lee');
  });

  it('is found by fingerprint <address>, and not for another address', async () => {
    expect((await cli('fingerprint', ADDRESS, '--local')).out).toContain('advised since');
    expect((await cli('fingerprint', 'someone.else@patients.example.org', '--local')).out).toContain('not on the list');
  });

  it('reads a typed address as the relay reads a recipient: a display name and a trailing dot find the same advice', async () => {
    for (const typed of [`Pat Lee <${ADDRESS}>`, `${ADDRESS}.`, ` ${ADDRESS.toUpperCase()} `]) {
      expect((await cli('fingerprint', typed, '--local')).out).toContain('advised since');
    }
    expect((await cli('fingerprint', 'not an address', '--local')).code).toBe(2);
  });

  it('is kept across a restart', async () => {
    await relay.close();
    relay = await start();
    await send([bounce()]);
    expect(lastSlackGuidance()).toContain('4 hard bounces within 30 days');
    const listed = JSON.parse((await cli('suppressions', '--local', '--json')).out) as { count: number }[];
    expect(listed.map((a) => a.count)).toEqual([4]);
  });
});
