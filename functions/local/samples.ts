/**
 * The sample webhooks: `npx paubox-relay send-sample` and the inspector's buttons post them, as Paubox would.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { OpsError } from '../aws';
import { parseSigningSecret, signWebhook } from '../paubox';

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
