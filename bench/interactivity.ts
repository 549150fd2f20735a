/**
 * Slack's buttons against the local relay: signed *Mute sender domain* clicks posted one after another to
 * `POST /slack/interactivity` on 127.0.0.1, with a fake Slack Web API for the thread replies. Slack shows the person
 * an error when the answer takes 3 s; the relay answers once the request is verified and acts after.
 *
 *   npm run bench:interactivity [-- --clicks 300]
 *
 * Prints the answer times and writes them to bench/results/interactivity.json. Exits 1 when a click is not answered
 * 200, when its reply is not posted, or when the slowest answer takes 3 s or more; 2 when the run failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { checkDestinationUrl } from '../functions/chat';
import { parseRelayConfig } from '../functions/config';
import { realSleep } from '../functions/delivery';
import { startLocalRelay } from '../functions/local';
import { silentLogger } from '../functions/observability';
import { startFakeSlackApi } from '../test/support/fake-slack-api';
import { clickBody, postSigned } from '../test/support/slack-clicks';
import { runBench, writeResults } from './results';

/** Slack's limit for the answer to an interactivity request. */
const SLACK_ANSWER_LIMIT_MS = 3_000;
const SECRET = 'benchSigningSecret0123456789';
const CHANNEL = 'C0FAKECHAN1';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { clicks: { type: 'string', default: '300' } } });
  const clicks = Number(values.clicks);
  const api = await startFakeSlackApi({ channels: [{ id: CHANNEL }] });
  const dataDir = mkdtempSync(join(tmpdir(), 'bench-interactivity-'));
  const relay = await startLocalRelay({
    config: parseRelayConfig(
      {
        destinations: [{ name: 'app', kind: 'slack', channel: CHANNEL }],
        routes: [{ events: ['permanent_failure'], to: ['app'] }],
      },
      'local',
      checkDestinationUrl,
    ),
    token: 'bench-interactivity',
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    inspector: false,
    dataDir,
    env: { RELAY_SLACK_BOT_TOKEN: api.token, RELAY_SLACK_SIGNING_SECRET: SECRET, SLACK_API_BASE_URL: api.baseUrl },
  });
  const times: number[] = [];
  let refused = 0;
  try {
    const url = `${relay.baseUrl}/slack/interactivity`;
    for (let i = 0; i < clicks; i++) {
      const body = clickBody(
        { name: 'muteSenderDomain', senderDomain: `d${i}.example.com` },
        { channel: CHANNEL, ts: `1700000000.${String(i).padStart(6, '0')}` },
      );
      const started = process.hrtime.bigint();
      const answer = await postSigned(url, body, { secret: SECRET, timestamp: Math.floor(Date.now() / 1000) });
      times.push(Number(process.hrtime.bigint() - started) / 1e6);
      if (answer.status !== 200) refused += 1;
    }
    for (let i = 0; i < 500 && api.callsOf('chat.postMessage').length < clicks; i++) await realSleep(10);
  } finally {
    await relay.close();
    await api.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.floor(q * (sorted.length - 1))]!;
  const figure = {
    clicks,
    answeredNot200: refused,
    repliesPosted: api.callsOf('chat.postMessage').length,
    answerMs: { p50: at(0.5), p99: at(0.99), max: at(1) },
    limitMs: SLACK_ANSWER_LIMIT_MS,
  };
  console.log(
    `${clicks} signed clicks: answered in p50 ${at(0.5).toFixed(1)} ms, p99 ${at(0.99).toFixed(1)} ms, ` +
      `max ${at(1).toFixed(1)} ms (Slack's limit ${SLACK_ANSWER_LIMIT_MS} ms); ` +
      `${figure.repliesPosted} thread replies posted, ${refused} not answered 200`,
  );
  writeResults('interactivity', figure);
  return refused === 0 && figure.repliesPosted === clicks && at(1) < SLACK_ANSWER_LIMIT_MS ? 0 : 1;
}

runBench(main);
