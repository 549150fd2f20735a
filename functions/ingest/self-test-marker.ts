import { randomUUID } from 'node:crypto';

/**
 * The self-test webhook: what the deploy's self-test and `npx paubox-relay verify` post to the real webhook URL,
 * shaped as Paubox's dashboard sends a webhook (a JSON body, no signature headers, no Content-Encoding). The
 * consumer recognises it once the token has matched, records having read it, and publishes nothing: its
 * `event_name` is none of Paubox's, so even a consumer that did not know it would ignore it, never relay it.
 */
export const SELF_TEST_EVENT_NAME = 'relay_self_test';
/** How long the record of a read self-test is kept: a reader looks within a minute. */
export const SELF_TEST_RECORD_SECONDS = 3600;

const NONCE_SHAPE = /^st-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A self-test body is small; anything larger is not one, and is not parsed twice. */
const MAX_SELF_TEST_BYTES = 512;

export function newSelfTestNonce(): string {
  return `st-${randomUUID()}`;
}

export function selfTestBody(nonce: string, now: Date): string {
  return JSON.stringify({
    event_name: SELF_TEST_EVENT_NAME,
    payload: { id: 0, source_tracking_id: nonce, time: now.toISOString(), subject: 'paubox-relay self-test' },
  });
}

/** The nonce of a self-test body; undefined for anything else. */
export function selfTestNonce(body: Buffer): string | undefined {
  if (body.length > MAX_SELF_TEST_BYTES || !body.includes(SELF_TEST_EVENT_NAME)) return undefined;
  try {
    const parsed = JSON.parse(body.toString('utf8')) as {
      event_name?: unknown;
      payload?: { source_tracking_id?: unknown };
    };
    const nonce = parsed.payload?.source_tracking_id;
    return parsed.event_name === SELF_TEST_EVENT_NAME && typeof nonce === 'string' && NONCE_SHAPE.test(nonce)
      ? nonce
      : undefined;
  } catch {
    return undefined;
  }
}

/** Where the consumer records a self-test it read, and where the self-test looks for it. */
export interface SelfTestRecords {
  record(nonce: string): Promise<void>;
  /** Whether the consumer has recorded `nonce`. */
  wasRead(nonce: string): Promise<boolean>;
}

/** In memory: the local relay, which reads each webhook as it answers it. */
export function memorySelfTestRecords(): SelfTestRecords {
  const read = new Set<string>();
  return {
    record: async (nonce) => void read.add(nonce),
    wasRead: async (nonce) => read.has(nonce),
  };
}
