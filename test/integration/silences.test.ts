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
import { slackFieldPairs, teamsCardTexts } from '../support/markup';
import { postWebhooks } from '../support/post-webhooks';

/*
 * Silences on the local relay, set with the CLI as an operator would (`silence add --local` in another terminal):
 * matching events are accepted, archived and not posted; the others are posted; a restart keeps the silence; when
 * it ends, each destination is told what it hid.
 */

const TOKEN = 'silences-test-token';
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8')) as {
    event_name: string;
    payload: Record<string, unknown>;
  };
let nextId = 1;
function body(name: 'temporary_failure' | 'permanent_failure', to: string): string {
  const base = fixture(name);
  const id = nextId++;
  return JSON.stringify({ ...base, payload: { ...base.payload, id, to: `person${id}@${to}` } });
}

let slack: FakeChatServer;
let teams: FakeChatServer;
let relay: LocalRelay;
let config: RelayConfig;
let dataDir: string;
let silenceId: string;

const start = () =>
  startLocalRelay({
    config,
    token: TOKEN,
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    dataDir,
    inspector: false,
  });
const cli = async (...args: string[]) => {
  const io = { ...captureIo(), env: { RELAY_DATA_DIR: dataDir } };
  let out = '';
  const code = await runCli(args, { ...io, out: (t) => (out += t) });
  return { code, out };
};
async function send(bodies: string[]): Promise<void> {
  expect(await postWebhooks(relay.webhookUrl, bodies, 4)).toEqual(bodies.map(() => 202));
  await relay.idle();
}
const slackTexts = () => slack.received.map((r) => (r.json as SlackMessage).text);
const teamsTitles = () => teams.received.map((r) => teamsCardTexts(r.json as TeamsMessage)[0]!);

beforeAll(async () => {
  ({ slack, teams } = await startSlackAndTeams());
  // Every event posted on its own: what a silence holds back is counted post by post.
  config = slackAndTeamsConfig({ slack, teams }, ['permanent_failure', 'temporary_failure'], 10_000);
  dataDir = mkdtempSync(join(tmpdir(), 'silences-'));
  relay = await start();
});

afterAll(async () => {
  await relay?.close();
  await Promise.all([slack, teams].map((s) => s?.close()));
});

describe('silences', () => {
  it('are added from the CLI, refusing one that would match everything', async () => {
    expect((await cli('silence', 'add', '--local', '--for', '4h', '--reason', 'x')).code).toBe(2);
    const added = await cli(
      'silence',
      'add',
      '--local',
      '--for',
      '4h',
      '--event',
      'temporary_failure',
      '--recipient-domain',
      'a.example',
      '--reason',
      'a.example mail servers down <!channel>',
    );
    expect(added.code).toBe(0);
    silenceId = /^(s-[0-9a-f]{8}) /.exec(added.out)![1]!;
    const listed = JSON.parse((await cli('silence', 'list', '--local', '--json')).out) as { id: string }[];
    expect(listed.map((s) => s.id)).toEqual([silenceId]);
  });

  it('hold back exactly the matching events, on every destination', async () => {
    await send([
      body('temporary_failure', 'a.example'),
      body('temporary_failure', 'mx.a.example'),
      body('temporary_failure', 'b.example'),
      body('permanent_failure', 'a.example'),
    ]);
    for (const server of [slack, teams]) {
      const posted = server.received.map((r) => r.raw);
      expect(posted).toHaveLength(2);
      // The soft bounce to b.example, and the hard bounce to a.example (the silence names soft bounces only).
      expect(posted.filter((raw) => raw.includes('b.example') && raw.includes('not delivered yet'))).toHaveLength(1);
      expect(posted.filter((raw) => raw.includes('a.example') && raw.includes('failed to send'))).toHaveLength(1);
    }
  });

  it('hold across a restart', async () => {
    await relay.close();
    relay = await start();
    await send([body('temporary_failure', 'a.example')]);
    expect(slackTexts()).toHaveLength(2);
  });

  it('say what they hid when they end, once per destination', async () => {
    const ended = await cli('silence', 'end', silenceId, '--local');
    expect(ended.code).toBe(0);
    expect(ended.out).toContain('it hid 6 alert(s)');
    await relay.checkSending();
    await relay.idle();
    await relay.checkSending();
    await relay.idle();
    const ends = slack.received.filter((r) => (r.json as SlackMessage).text.startsWith('Silence'));
    expect(ends).toHaveLength(1);
    const message = ends[0]!.json as SlackMessage;
    expect(message.text).toBe(`Silence ${silenceId} ended: it hid 3 alerts`);
    const fields = slackFieldPairs(message);
    expect(fields.get('Hidden')).toBe('temporary failure · a.example: 2; temporary failure · mx.a.example: 1');
    expect(fields.get('Silenced')).toBe('temporary failure events, recipient domain a.example');
    // The operator's words only ever in plain_text, which Slack never parses for mentions.
    expect(fields.get('Reason')).toBe('a.example mail servers down <!channel>');
    expect(message.text).not.toContain('<');
    expect(teamsTitles().filter((t) => t.startsWith('Silence'))).toEqual([
      `Silence ${silenceId} ended: it hid 3 alerts`,
    ]);
    // Ended: matching events are posted again.
    await send([body('temporary_failure', 'a.example')]);
    expect(slackTexts().filter((t) => !t.startsWith('Silence'))).toHaveLength(3);
  });
});

describe('silences in the inspector', () => {
  let inspected: LocalRelay;
  let api: (path: string, init?: RequestInit) => Promise<Response>;
  let origin: string;

  beforeAll(async () => {
    inspected = await startLocalRelay({
      config,
      token: TOKEN,
      fingerprintKey: 'k',
      logger: silentLogger,
      port: 0,
      dataDir: mkdtempSync(join(tmpdir(), 'silences-inspector-')),
    });
    const page = new URL(inspected.inspectorUrl!);
    const key = page.searchParams.get('key')!;
    origin = page.origin;
    api = (path, init) => fetch(`${page.origin}/inspector/api/${path}?key=${key}`, init);
  });
  afterAll(() => inspected?.close());

  const post = (path: string, body?: unknown) =>
    api(path, {
      method: 'POST',
      // As the inspector's own page sends it: POSTs need the page's origin.
      headers: { 'content-type': 'application/json', origin },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });

  it('adds one with the same checks as the CLI, lists it, and ends it', async () => {
    const refused = await post('silences', { for: '4h', reason: 'x' });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { message: string }).message).toContain('name what to silence');
    const added = await post('silences', { for: '2h', senderDomain: 'mail.clinic.example.com', reason: 'migration' });
    expect(added.status).toBe(200);
    const row = (await added.json()) as { id: string; matches: string; active: boolean };
    expect(row).toMatchObject({ matches: 'all events, sender domain mail.clinic.example.com', active: true });
    const listed = (await (await api('silences')).json()) as { id: string }[];
    expect(listed.map((s) => s.id)).toEqual([row.id]);
    const ended = await post(`silences/${row.id}/end`);
    expect(((await ended.json()) as { active: boolean }).active).toBe(false);
    expect((await post(`silences/${row.id}/end`)).status).toBe(404);
  });

  it('refuses a cross-origin request', async () => {
    const response = await api('silences', {
      method: 'POST',
      headers: { origin: 'https://evil.example', 'content-type': 'application/json' },
      body: JSON.stringify({ for: '1h', event: 'opened', reason: 'x' }),
    });
    expect(response.status).toBe(403);
  });
});
