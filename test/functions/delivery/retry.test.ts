import {
  backoffMs,
  DEFAULT_RETRY_POLICY,
  DELIVERY_TRIES,
  deliver,
  NO_SEND_SLOT,
  type DeliveryContext,
} from '../../../functions/delivery/retry';
import { DeliveryError } from '../../../functions/chat';

/** A send that fails with the given error, else succeeds; counts its calls. */
function script(failure?: DeliveryError) {
  let calls = 0;
  return {
    send: async () => {
      calls++;
      if (failure) throw failure;
    },
    calls: () => calls,
  };
}

const POLICY = { baseDelayMs: 100, maxDelayMs: 1000, defaultRetryAfterMs: 1000 };

function context(overrides: Partial<DeliveryContext> = {}): DeliveryContext {
  return {
    policy: POLICY,
    remainingMs: () => 60_000,
    sendTimeoutMs: 1000,
    sleep: async () => undefined,
    random: () => 0.5,
    ...overrides,
  };
}

const http = (status: number, reason: string, retryAfter?: number) =>
  new DeliveryError(reason, status >= 500 || status === 429, status, retryAfter);

describe('deliver', () => {
  it('posts on a success reply, in one try', async () => {
    const s = script();
    expect(await deliver(s.send, context())).toEqual({
      kind: 'posted',
      attempts: 1,
      rateLimited: 0,
      unconfirmed: false,
    });
    expect(s.calls()).toBe(1);
  });

  it('steps aside on a 5xx or a network error: handed back with the backoff of its try, not waited out', async () => {
    const sleep = jest.fn(async () => undefined);
    for (const [error, tryNumber, backoff] of [
      [http(500, 'rollup_error'), 1, 75],
      [new DeliveryError('network_error', true), 2, 150],
      [http(503, 'http_503'), 3, 300],
      [http(500, 'rollup_error'), 10, 750],
    ] as const) {
      const s = script(error);
      expect(await deliver(s.send, context({ tryNumber, sleep }))).toEqual({
        kind: 'retry_later',
        attempts: 1,
        rateLimited: 0,
        reason: error.reason,
        notBeforeMs: backoff, // base · 2^(try-1), at most maxDelayMs, · (0.5 + random/2)
      });
      expect(s.calls()).toBe(1);
    }
    expect(sleep).not.toHaveBeenCalled();
  });

  it('hands a 429 back for its Retry-After, and pauses the destination for as long', async () => {
    const onRateLimited = jest.fn(async () => undefined);
    expect(await deliver(script(http(429, 'rate_limited', 2)).send, context({ onRateLimited }))).toEqual({
      kind: 'retry_later',
      attempts: 1,
      rateLimited: 1,
      reason: 'rate_limited',
      notBeforeMs: 2000,
    });
    expect(onRateLimited).toHaveBeenCalledWith(2000);
    // Without Retry-After: the policy's default.
    const outcome = await deliver(script(http(429, 'rate_limited')).send, context({ onRateLimited }));
    expect(outcome).toMatchObject({ kind: 'retry_later', notBeforeMs: 1000 });
  });

  it('spreads the default tries of an alert that keeps failing over about 12 minutes, as before', () => {
    // Each try waits its backoff after the last; the alert's age grows by it.
    const window = (jitter: number) => {
      let age = 0;
      for (let tryNumber = 1; tryNumber < DELIVERY_TRIES; tryNumber++) {
        age += backoffMs(DEFAULT_RETRY_POLICY, tryNumber, () => jitter, age);
      }
      return age / 60_000;
    };
    expect(DELIVERY_TRIES).toBe(25);
    // Five receives of five attempts each rode out about 12 minutes.
    expect(window(0.5)).toBeGreaterThan(11);
    expect(window(0.5)).toBeLessThan(14);
    expect(window(0)).toBeGreaterThan(6);
    expect(window(0.999)).toBeLessThan(20);
  });

  it('grows the backoff with the age of the alert when known, not with hand-backs that sent nothing', async () => {
    const failing = () => script(http(500, 'rollup_error')).send;
    // A fifth receive of an alert 200 ms old: the backoff of its age, not the (capped) one of a fifth try.
    expect(await deliver(failing(), context({ tryNumber: 5, ageMs: 200 }))).toMatchObject({ notBeforeMs: 150 });
    expect(await deliver(failing(), context({ tryNumber: 5 }))).toMatchObject({ notBeforeMs: 750 });
    // Young: never under the base delay; old: never over the cap.
    expect(await deliver(failing(), context({ ageMs: 10 }))).toMatchObject({ notBeforeMs: 75 });
    expect(await deliver(failing(), context({ ageMs: 60_000 }))).toMatchObject({ notBeforeMs: 750 });
    expect(await deliver(failing(), context({ ageMs: 400 }))).toMatchObject({ notBeforeMs: 300 });
  });

  it('does not retry what cannot succeed, and says why', async () => {
    expect(await deliver(script(http(404, 'no_service')).send, context())).toEqual({
      kind: 'dead',
      attempts: 1,
      rateLimited: 0,
      reason: 'no_service',
      status: 404,
    });
  });

  it('treats a reply that timed out after the request left as posted, and never resends it', async () => {
    const s = script(new DeliveryError('timeout', true));
    expect(await deliver(s.send, context())).toEqual({
      kind: 'posted',
      attempts: 1,
      rateLimited: 0,
      unconfirmed: true,
    });
    expect(s.calls()).toBe(1);
  });

  it('hands the record back unsent when no send slot is given', async () => {
    const s = script();
    expect(await deliver(s.send, context({ waitForSlot: async () => ({ reason: NO_SEND_SLOT }) }))).toEqual({
      kind: 'retry_later',
      attempts: 0,
      rateLimited: 0,
      reason: NO_SEND_SLOT,
    });
    expect(s.calls()).toBe(0);
  });
});

describe('backoffMs', () => {
  it('doubles with each try from the base, up to the ceiling, jittered between half and all of it', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffMs(POLICY, n, () => 0.999999))).toEqual([100, 200, 400, 800, 1000]);
    expect([1, 2, 3].map((n) => backoffMs(POLICY, n, () => 0))).toEqual([50, 100, 200]);
  });
});
