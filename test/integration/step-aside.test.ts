import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HEALTH_PREFIX } from '../../functions/alerts';
import { checkDestinationUrl } from '../../functions/chat';
import { MAX_BATCH_SIZE } from '../../functions/config';
import { parseRelayConfig, type RelayConfig } from '../../functions/config';
import { BROKEN_AFTER_ANSWERS } from '../../functions/delivery';
import { FileDeadLetterStore } from '../../functions/delivery';
import { MAX_IN_FLIGHT, MAX_SLOW_POSTS, type RetryPolicy } from '../../functions/delivery';
import { startLocalRelay, type LocalRelay } from '../../functions/local';
import { silentLogger } from '../../functions/observability';
import { parsePauboxWebhook } from '../../functions/paubox';
import { SLACK_OK, startFakeChatServer, type FakeChatServer } from '../support/fake-chat-server';
import { startFaultChatServer, type Fault, type FaultChatServer } from '../support/fault-chat-server';

/*
 * The local relay over HTTP on 127.0.0.1 when an alert fails: it steps aside, the others go on at once, its
 * follow-up waits behind it, and a destination that answers every post "revoked" is recognised in seconds.
 */

const TOKEN = 'step-aside-test-token';
const fixture = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'paubox', `${name}.json`), 'utf8')) as {
    event_name: string;
    payload: Record<string, unknown>;
  };

/** A webhook body and its event key; `payload` overrides the fixture's. */
function webhook(name: string, payload: Record<string, unknown>): { body: string; key: string } {
  const base = fixture(name);
  const body = JSON.stringify({ ...base, payload: { ...base.payload, ...payload } });
  const parsed = parsePauboxWebhook(JSON.parse(body));
  if (parsed.kind !== 'event') throw new Error(`${name} was ignored`);
  return { body, key: parsed.event.key };
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length > 0) await cleanups.pop()!();
});

/** Retries within a test's time: the production rules and number of tries, with a backoff of tens of ms. */
const FAST_RETRIES: RetryPolicy = { baseDelayMs: 50, maxDelayMs: 200, defaultRetryAfterMs: 100 };
/** Retries a second apart, as the "not delayed by more than a second" reads. */
const SECOND_RETRIES: RetryPolicy = { baseDelayMs: 1000, maxDelayMs: 1000, defaultRetryAfterMs: 1000 };

async function relayTo(
  destinations: Record<string, unknown>[],
  healthSettleMs?: number,
  retryPolicy: RetryPolicy = FAST_RETRIES,
): Promise<LocalRelay & { deadLetters: FileDeadLetterStore }> {
  // One post per event (the fake platform tells events apart by the one it shows), 100 posts a second.
  const config: RelayConfig = parseRelayConfig(
    {
      destinations: destinations.map((d) => ({
        ...d,
        digest: { batchSize: 10, minGroupSize: MAX_BATCH_SIZE },
        rateLimit: { messagesPerSecond: 100 },
      })),
      routes: [
        { events: ['permanent_failure', 'temporary_failure'], to: [destinations[0]!.name as string] },
        // Every other destination is one a health notice can go to.
        ...destinations.slice(1).map((d) => ({ events: ['delivered'], to: [d.name as string] })),
      ],
    },
    'local',
    checkDestinationUrl,
  );
  const dataDir = mkdtempSync(join(tmpdir(), 'step-aside-'));
  const deadLetters = new FileDeadLetterStore(dataDir);
  const relay = await startLocalRelay({
    deadLetters,
    config,
    token: TOKEN,
    fingerprintKey: 'k',
    logger: silentLogger,
    port: 0,
    dataDir,
    retryPolicy,
    ...(healthSettleMs !== undefined ? { healthSettleMs } : {}),
  });
  cleanups.push(async () => {
    await relay.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return Object.assign(relay, { deadLetters });
}

async function faultServer(plan: (key: string, attempt: number) => Fault, keys: string[]): Promise<FaultChatServer> {
  const full = new Map(keys.map((k) => [k.slice(0, 12), k]));
  const server = await startFaultChatServer({
    platform: 'slack',
    plan,
    slowReplyMs: 0,
    resolveKey: (shown) => full.get(shown),
  });
  cleanups.push(() => server.close());
  return server;
}

const send = async (relay: LocalRelay, body: string): Promise<number> => {
  const response = await fetch(relay.webhookUrl, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json' },
  });
  expect(response.status).toBe(202);
  return Date.now();
};

/** Resolves once `done` holds, looking every 10 ms. */
async function until(done: () => boolean): Promise<void> {
  while (!done()) await new Promise((resolve) => setTimeout(resolve, 10));
}

describe('local relay: a failing alert steps aside', () => {
  it('does not delay the next alert to the destination by a second when one is answered 500 five times', async () => {
    const failing = webhook('permanent_failure', { id: 1, source_tracking_id: 'a-1', header_message_id: '<a@x>' });
    const next = webhook('permanent_failure', { id: 2, source_tracking_id: 'b-2', header_message_id: '<b@x>' });
    const plan = (key: string, attempt: number): Fault => (key === failing.key && attempt <= 5 ? 'server_error' : 'ok');
    const server = await faultServer(plan, [failing.key, next.key]);
    // Each retry waits a second, so the order below says the next alert waited for none of them, however slow
    // a loaded machine is to accept and post it.
    const relay = await relayTo([{ name: 'ops', kind: 'slack', url: server.url }], undefined, SECOND_RETRIES);
    await send(relay, failing.body);
    // The next alert comes once the first has been answered 500, while it waits for its second try.
    await until(() => server.attemptsOf(failing.key).length >= 1);
    await send(relay, next.body);
    await relay.idle();
    // Each posted once, the failing one on its sixth try.
    expect(server.postCount(failing.key)).toBe(1);
    expect(server.postCount(next.key)).toBe(1);
    expect(server.attemptsOf(failing.key).map((a) => a.fault)).toEqual([...Array(5).fill('server_error'), 'ok']);
    // The next alert reached the platform before the failing one's second try: it waited for none of its backoffs
    // (the second try comes its backoff, a second, after the first).
    const [, second] = server.attemptsOf(failing.key);
    expect(server.attemptsOf(next.key)[0]!.seq).toBeLessThan(second!.seq);
  }, 30_000);

  it('posts an alert and its follow-up for the same message in order, though the first waits for a retry', async () => {
    const message = { source_tracking_id: 'c0ffee00-0000-4abc-8def-00000000beef', header_message_id: '<same@x>' };
    const first = webhook('temporary_failure', { ...message, id: 10, to: 'sam.rivera@inbox.example.net' });
    const followUp = webhook('permanent_failure', { ...message, id: 11, to: 'sam.rivera@inbox.example.net' });
    // The first fails until its follow-up has been accepted: the follow-up comes while it waits for a retry.
    let followUpAccepted = false;
    const plan = (key: string): Fault => (key === first.key && !followUpAccepted ? 'server_error' : 'ok');
    const server = await faultServer(plan, [first.key, followUp.key]);
    const relay = await relayTo([{ name: 'ops', kind: 'slack', url: server.url }]);
    await send(relay, first.body);
    await until(() => server.attemptsOf(first.key).length >= 1);
    await send(relay, followUp.body);
    followUpAccepted = true;
    await relay.idle();
    expect(server.attemptsOf(first.key)[0]!.fault).toBe('server_error');
    expect(server.postCount(first.key)).toBe(1);
    expect(server.postCount(followUp.key)).toBe(1);
    // The follow-up was never sent before its alert went out.
    const firstPosted = server.attemptsOf(first.key).find((a) => a.fault === 'ok')!.seq;
    expect(server.attemptsOf(followUp.key).every((a) => a.seq > firstPosted)).toBe(true);
  }, 20_000);
});

describe('local relay: a broken destination', () => {
  let healthy: FakeChatServer;
  let revoked: FakeChatServer;

  it('dead-letters 100 alerts in seconds, without trying each, with one health notice', async () => {
    [revoked, healthy] = await Promise.all([
      startFakeChatServer({ status: 404, body: 'no_service' }, '/services/T1/B1/revoked'),
      startFakeChatServer(SLACK_OK, '/services/T1/B2/live'),
    ]);
    cleanups.push(
      () => revoked.close(),
      () => healthy.close(),
    );
    const relay = await relayTo(
      [
        { name: 'broken', kind: 'slack', url: revoked.url },
        { name: 'ops', kind: 'slack', url: healthy.url },
      ],
      500,
    );
    for (let i = 0; i < 100; i++) {
      await send(relay, webhook('permanent_failure', { id: 500 + i, source_tracking_id: `t-${i}` }).body);
    }
    await relay.idle();
    const dead = await relay.deadLetters.list('broken');
    // Within the test's time: each alert waiting out its 25 tries would take minutes.
    expect(dead).toHaveLength(100);
    expect(dead.every((letter) => letter.reason === 'no_service' && letter.status === 404)).toBe(true);
    // A few answers were enough: the rest never reached the revoked webhook (beside those, at most the posts under
    // way when the fifth answer came).
    expect(revoked.received.length).toBeLessThanOrEqual(BROKEN_AFTER_ANSWERS + MAX_IN_FLIGHT + MAX_SLOW_POSTS);
    // One notice, however many dead letters: a second, if any, would come within the settle time.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await relay.idle();
    const notices = healthy.received.filter((r) => (r.json as { text?: string }).text?.startsWith(HEALTH_PREFIX));
    expect(notices).toHaveLength(1);
    expect(JSON.stringify(notices[0]!.json)).toContain('broken');
  }, 30_000);
});
