/** `npm run send-sample -- <event> [--url <webhook url>] [--as-is]`: posts a sample Paubox webhook. */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseSigningSecret, signWebhook } from '../functions/commons/signature';
import { DEFAULT_LOCAL_TOKEN, DEFAULT_PORT } from '../functions/local/local-settings';

const SAMPLES = ['permanent_failure', 'temporary_failure', 'delivered', 'opened', 'legacy_permanent_failure'];
const USAGE = `usage: npm run send-sample -- <${SAMPLES.join('|')}> [--url <webhook url>] [--as-is]
  --url     where to post (default: the local relay, http://127.0.0.1:$PORT/paubox/$RELAY_TOKEN)
  --as-is   post the sample byte for byte; by default it gets a fresh id and time, so that each run is a new event
Signs the request (Standard Webhooks headers) when RELAY_SIGNING_SECRET is set.`;

async function main(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const urlIndex = argv.indexOf('--url');
  const url =
    urlIndex >= 0
      ? argv[urlIndex + 1]
      : `http://127.0.0.1:${process.env.PORT ?? DEFAULT_PORT}/paubox/${process.env.RELAY_TOKEN ?? DEFAULT_LOCAL_TOKEN}`;
  const name = argv.find((a, i) => !a.startsWith('--') && i !== urlIndex + 1);
  if (!name || !SAMPLES.includes(name) || !url) {
    process.stderr.write(`${name && !SAMPLES.includes(name) ? `unknown sample "${name}"\n` : ''}${USAGE}\n`);
    return 2;
  }
  const body = JSON.parse(readFileSync(join(__dirname, '..', 'test', 'fixtures', 'paubox', `${name}.json`), 'utf8')) as {
    payload: Record<string, unknown>;
  };
  if (!argv.includes('--as-is')) {
    body.payload.id = Date.now();
    body.payload.source_tracking_id = randomUUID();
    body.payload.time = new Date().toISOString();
  }
  const text = JSON.stringify(body);
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (process.env.RELAY_SIGNING_SECRET) {
    const id = `msg_${randomUUID()}`;
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signature = signWebhook(parseSigningSecret(process.env.RELAY_SIGNING_SECRET), id, timestamp, Buffer.from(text));
    Object.assign(headers, { 'webhook-id': id, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` });
  }
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers,
      body: text,
      signal: AbortSignal.timeout(15_000),
    });
  } catch (error) {
    process.stderr.write(`could not reach the relay (${(error as Error).message}); is it running? (npm start)\n`);
    return 1;
  }
  process.stdout.write(`${response.status} ${await response.text()}\n`);
  return response.ok ? 0 : 1;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
