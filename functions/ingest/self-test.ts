import { post } from '../chat';
import { PostFailure } from '../chat';
import { newSelfTestNonce, type SelfTestRecords, selfTestBody } from './self-test-marker';

/**
 * The accept path, proved end to end: a self-test webhook posted to the real URL (with the real token), as Paubox
 * posts (JSON, no signature headers, no Content-Encoding), then the consumer's record of having read it. Run by the
 * deploy (handlers/self-test.ts) and by `npx paubox-relay verify`.
 */

export type SelfTestHop = 'api' | 'queued' | 'consumed';

export interface HopResult {
  readonly hop: SelfTestHop;
  /** Milliseconds the hop took. */
  readonly ms: number;
  /** What was seen: a status code, an id; never the URL or the token. */
  readonly detail: string;
}

/** A broken hop: the message names it, says what was seen and what to do. */
export class SelfTestError extends Error {
  public readonly name = 'SelfTestError';
  constructor(
    public readonly hop: SelfTestHop,
    message: string,
  ) {
    super(`${hop}: ${message}`);
  }
}

export interface SelfTestDeps {
  /** The full webhook URL, token included. */
  readonly webhookUrl: string;
  /** Where the consumer's record is looked for; the local relay reads a webhook as it answers, and says so. */
  readonly records: Pick<SelfTestRecords, 'wasRead'>;
  /** @default 10_000 */
  readonly answerTimeoutMs?: number;
  /** How long the consumer may take to read it. @default 60_000 */
  readonly readTimeoutMs?: number;
  /** @default 1_000 */
  readonly pollMs?: number;
  readonly now?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** Told of each hop as it passes. */
  readonly onHop?: (result: HopResult) => void;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** What to do about a non-2xx answer, by status. */
function answerAdvice(status: number): string {
  if (status === 404)
    return (
      'no webhook route matches the current token: the token function did not make its route (see the ' +
      "rotate-token function's log group), or the URL is not this stack's"
    );
  if (status === 429) return 'the stage throttled it: raise throttlingRateLimit / throttlingBurstLimit';
  if (status === 400)
    return "SQS refused the message: check the integration's MessageAttributes against functions/ingest/queued-webhook.ts";
  if (status >= 500)
    return (
      "API Gateway could not write to the ingest queue: check ApiQueueRole's sqs:SendMessage and the relay " +
      "key's policy (Ingest5xxAlarm)"
    );
  return 'the relay refused it: check the token secret and the stage';
}

function parse(body: string): Record<string, unknown> {
  try {
    const value = JSON.parse(body) as unknown;
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The SQS message id in API Gateway's answer (SQS's own JSON), or the local relay's `self_test` status. */
function queuedDetail(body: string): string | undefined {
  const answer = parse(body);
  const sqs = (answer.SendMessageResponse as { SendMessageResult?: { MessageId?: unknown } } | undefined)
    ?.SendMessageResult?.MessageId;
  if (typeof sqs === 'string' || typeof answer.MessageId === 'string') return 'written to the ingest queue';
  if (answer.status === 'self_test') return 'read in process (the local relay has no queue)';
  return undefined;
}

async function wasRead(records: Pick<SelfTestRecords, 'wasRead'>, nonce: string): Promise<boolean> {
  try {
    return await records.wasRead(nonce);
  } catch (error) {
    const name = error instanceof Error ? error.name : typeof error;
    throw new SelfTestError(
      'consumed',
      `the relay table could not be read (${name}): check the reader's GetItem grant`,
    );
  }
}

/**
 * Posts a self-test webhook and waits until the consumer has recorded reading it.
 *
 * @throws SelfTestError naming the first hop that broke
 */
export async function runSelfTest(deps: SelfTestDeps): Promise<HopResult[]> {
  const now = deps.now ?? Date.now;
  const sleep = deps.sleep ?? sleepFor;
  const results: HopResult[] = [];
  const passed = (result: HopResult) => {
    results.push(result);
    deps.onHop?.(result);
  };
  const nonce = newSelfTestNonce();
  const answerTimeoutMs = deps.answerTimeoutMs ?? 10_000;
  let start = now();
  let reply: Awaited<ReturnType<typeof post>>;
  try {
    reply = await post(
      deps.webhookUrl,
      selfTestBody(nonce, new Date(start)),
      { 'content-type': 'application/json', 'user-agent': 'paubox-relay-self-test' },
      answerTimeoutMs,
    );
  } catch (error) {
    const code = error instanceof PostFailure ? error.code : 'network_error';
    throw new SelfTestError(
      'api',
      code === 'timeout'
        ? `no answer within ${answerTimeoutMs / 1000} s: the API is not reachable from here (a function without ` +
            'internet access cannot run the self-test: set "selfTest": false)'
        : 'the webhook URL could not be reached (DNS or connection refused): is the API deployed, and may this ' +
            'network reach the internet?',
    );
  }
  if (reply.status < 200 || reply.status >= 300) {
    throw new SelfTestError('api', `answered ${reply.status}; ${answerAdvice(reply.status)}`);
  }
  passed({ hop: 'api', ms: now() - start, detail: `answered ${reply.status}` });
  const queued = queuedDetail(reply.body);
  if (queued === undefined) {
    throw new SelfTestError(
      'queued',
      `answered ${reply.status} without a queue's message id: the URL is not the relay's ingest integration`,
    );
  }
  passed({ hop: 'queued', ms: 0, detail: queued });
  const answer = parse(reply.body);
  if (answer.status === 'self_test' && answer.id === nonce) {
    passed({ hop: 'consumed', ms: 0, detail: 'read as it was answered; nothing relayed' });
    return results;
  }
  start = now();
  const readTimeoutMs = deps.readTimeoutMs ?? 60_000;
  for (;;) {
    if (await wasRead(deps.records, nonce)) break;
    if (now() - start >= readTimeoutMs) {
      throw new SelfTestError(
        'consumed',
        `the consumer did not read it within ${readTimeoutMs / 1000} s: see the ingest function's log group ` +
          '(the token secret, the relay table or the key), check that its SQS event source is enabled, and ' +
          "look at the ingest queue's age of oldest message (IngestStuckAlarm)",
      );
    }
    await sleep(deps.pollMs ?? 1_000);
  }
  passed({ hop: 'consumed', ms: now() - start, detail: 'recorded as read by the consumer; nothing relayed' });
  return results;
}
