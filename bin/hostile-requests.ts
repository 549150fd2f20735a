/**
 * `npm run hostile-requests [-- --url <base url>]`: sends the scripted hostile requests and checks the status codes
 * and that no answer (and, for the relay it starts itself, no log line or console alert) leaks the token or PHI.
 * Without --url it starts a local relay on a free port on 127.0.0.1; with --url, RELAY_TOKEN is that relay's token.
 * An https URL is the deployed relay (API Gateway's base URL, `https://….execute-api.….amazonaws.com`), whose
 * answers are API Gateway's: 404 for a path without a valid token, 202 for whatever it queues.
 */
import { parseRelayConfig } from '../functions/config';
import { checkDestinationUrl } from '../functions/chat';
import { textLogger } from '../functions/observability';
import {
  MARKS,
  runHostileRequests,
  type HostileResult,
  DEFAULT_LOCAL_TOKEN,
  startLocalRelay,
} from '../functions/local';

const SELF_TOKEN = 'H0stileRequestsH0stileRequestsH0stileRequestsH0st';

function print(results: readonly HostileResult[], extraLeaks: readonly string[]): boolean {
  for (const r of results) {
    const leak = r.leaked.length > 0 ? ` LEAKED ${r.leaked.length} value(s)` : '';
    process.stdout.write(
      `${r.ok ? 'ok  ' : 'FAIL'} ${String(r.status).padEnd(3)} (want ${r.expectedStatus}) ${r.name}${leak}\n`,
    );
  }
  for (const line of extraLeaks) process.stdout.write(`FAIL ${line}\n`);
  const failed = results.filter((r) => !r.ok).length + extraLeaks.length;
  process.stdout.write(
    `${results.length} requests, ${failed === 0 ? 'all as expected, nothing leaked' : `${failed} problem(s)`}\n`,
  );
  return failed === 0;
}

async function main(argv: string[]): Promise<number> {
  const urlIndex = argv.indexOf('--url');
  // `npm run hostile-requests --url <url>` (without `--`) hands `--url` to npm, which sets npm_config_url=true and
  // passes the URL on alone (`--url=<url>` sets it to the URL).
  const fromNpm = process.env.npm_config_url;
  if (urlIndex >= 0 || fromNpm) {
    const url =
      urlIndex >= 0 ? argv[urlIndex + 1] : fromNpm === 'true' ? argv.find((a) => !a.startsWith('-')) : fromNpm;
    if (!url) {
      process.stderr.write('usage: npm run hostile-requests [-- --url <base url, e.g. http://127.0.0.1:3000>]\n');
      return 2;
    }
    // API Gateway answers https only; the local relay http only.
    const target = url.startsWith('https:') ? 'deployed' : 'local';
    process.stdout.write(
      `${target} relay at ${url}: expecting ${target === 'deployed' ? "API Gateway's" : 'its'} answers\n`,
    );
    const results = await runHostileRequests(url, process.env.RELAY_TOKEN ?? DEFAULT_LOCAL_TOKEN, { target });
    return print(results, []) ? 0 : 1;
  }

  const logs: string[] = [];
  const alerts: string[] = [];
  const relay = await startLocalRelay({
    config: parseRelayConfig(
      {
        destinations: [{ name: 'terminal', kind: 'console' }],
        routes: [{ events: ['permanent_failure', 'temporary_failure'], to: ['terminal'] }],
      },
      'local',
      checkDestinationUrl,
    ),
    token: SELF_TOKEN,
    fingerprintKey: 'hostile-requests-fingerprint-key',
    logger: textLogger((line) => logs.push(line)),
    port: 0,
    write: (text) => alerts.push(text),
    dataDir: `${process.env.TMPDIR ?? '/tmp'}/paubox-relay-hostile-requests`,
  });
  try {
    process.stdout.write(`local relay on ${relay.baseUrl} (minimal detail console destination)\n`);
    const results = await runHostileRequests(relay.baseUrl, SELF_TOKEN);
    await relay.idle();
    const extra: string[] = [];
    const logText = logs.join('\n');
    const alertText = alerts.join('\n');
    for (const value of [SELF_TOKEN, ...Object.values(MARKS)]) {
      if (logText.includes(value)) extra.push('a log line holds the token or a payload value');
      if (value !== MARKS.eventName && alertText.includes(value))
        extra.push('a minimal-detail alert holds the token or PHI');
    }
    if (!alertText.includes('Message failed to send')) extra.push('the valid hostile event was not relayed');
    return print(results, [...new Set(extra)]) ? 0 : 1;
  } finally {
    await relay.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
