import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpsError } from '../aws/errors';
import { DEFAULT_LOCAL_TOKEN, DEFAULT_PORT } from '../local/settings';
import { parseSigningSecret, signWebhook } from '../paubox/signature';
import { FAILED, type Command } from './command';
import { UsageError } from './errors';

/** The sample webhook bodies, as Paubox sends them (`test/fixtures/paubox/<name>.json`). */
export const SAMPLES = [
  'permanent_failure',
  'temporary_failure',
  'delivered',
  'opened',
  'legacy_permanent_failure',
] as const;
export type SampleName = (typeof SAMPLES)[number];

const FIXTURES_DIR = join(__dirname, '..', '..', 'test', 'fixtures', 'paubox');

export function isSampleName(name: string): name is SampleName {
  return (SAMPLES as readonly string[]).includes(name);
}

/** A sample body; unless `asIs`, with a fresh id, tracking id and time, so that each run is a new event. */
export function sampleBody(name: SampleName, asIs: boolean, now: Date = new Date()): string {
  const body = JSON.parse(readFileSync(join(FIXTURES_DIR, `${name}.json`), 'utf8')) as {
    payload: Record<string, unknown>;
  };
  if (!asIs) {
    body.payload.id = now.getTime();
    body.payload.source_tracking_id = randomUUID();
    body.payload.time = now.toISOString();
  }
  return JSON.stringify(body);
}

export interface SampleReply {
  readonly status: number;
  readonly body: string;
}

/** Standard Webhooks headers for `body`, signed with a `whsec_…` secret. */
export function signatureHeaders(signingSecret: string, body: string, now: Date = new Date()): Record<string, string> {
  let key: Buffer;
  try {
    key = parseSigningSecret(signingSecret);
  } catch {
    throw new OpsError('RELAY_SIGNING_SECRET is not a whsec_ value (whsec_ followed by base64)');
  }
  const id = `msg_${randomUUID()}`;
  const timestamp = String(Math.floor(now.getTime() / 1000));
  return {
    'webhook-id': id,
    'webhook-timestamp': timestamp,
    'webhook-signature': `v1,${signWebhook(key, id, timestamp, Buffer.from(body))}`,
  };
}

/** Posts a body as Paubox does; signed (Standard Webhooks headers) when a signing secret is given. */
export async function postSample(
  url: string,
  body: string,
  timeoutMs = 15_000,
  signingSecret?: string,
): Promise<SampleReply> {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new OpsError('--url is not a URL; expected the webhook URL, e.g. http://127.0.0.1:3000/paubox/<token>');
  }
  let response: Response;
  try {
    response = await fetch(parsed, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signingSecret ? signatureHeaders(signingSecret, body) : {}) },
      body,
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    throw new OpsError(
      `could not reach ${parsed.host} (${(error as Error).message}); is the relay running? (npx paubox-relay serve)`,
    );
  }
  return { status: response.status, body: await response.text() };
}

/** `send-sample`: a sample webhook, as Paubox would post it. */
export const sendSampleCommand: Command = {
  name: 'send-sample',
  summary: 'post a sample Paubox webhook to the local relay or to --url',
  usage: `<${SAMPLES.join('|')}> [--url <webhook url>] [--as-is]`,
  details:
    '  --url     where to post (default the local relay: http://127.0.0.1:$PORT/paubox/$RELAY_TOKEN)\n' +
    '  --as-is   post the sample byte for byte; by default it gets a fresh id and time, so each run is a new event\n' +
    'Signs the request (Standard Webhooks headers) when RELAY_SIGNING_SECRET holds a whsec_ secret.\n' +
    'Prints the status and body of the answer; exits 1 unless it is 2xx.',
  options: { url: { type: 'string' }, 'as-is': { type: 'boolean' } },
  positionals: { min: 1, max: 1 },
  async run([name], values, io) {
    if (!name || !isSampleName(name))
      throw new UsageError(`unknown sample "${name}"; choose one of ${SAMPLES.join(', ')}`);
    const url =
      typeof values.url === 'string'
        ? values.url
        : `http://127.0.0.1:${io.env.PORT ?? DEFAULT_PORT}/paubox/${io.env.RELAY_TOKEN ?? DEFAULT_LOCAL_TOKEN}`;
    const reply = await postSample(
      url,
      sampleBody(name, values['as-is'] === true),
      undefined,
      io.env.RELAY_SIGNING_SECRET || undefined,
    );
    io.out(`${reply.status} ${reply.body}\n`);
    return reply.status >= 200 && reply.status < 300 ? 0 : FAILED;
  },
};
