import { deliver, type DeliveryContext } from '../../../functions/delivery/retry';
import { DeliveryError } from '../../../functions/chat';

/** A send that fails with the given errors in turn, then succeeds. */
function script(...failures: DeliveryError[]) {
  let calls = 0;
  return {
    send: async () => {
      const failure = failures[calls++];
      if (failure) throw failure;
    },
    calls: () => calls,
  };
}

function context(overrides: Partial<DeliveryContext> = {}) {
  const slept: number[] = [];
  const ctx: DeliveryContext = {
    policy: { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxRetryAfterMs: 5000, defaultRetryAfterMs: 1000 },
    remainingMs: () => 60_000,
    sendTimeoutMs: 1000,
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => 0.5,
    ...overrides,
  };
  return { ctx, slept };
}

const http = (status: number, reason: string, retryAfter?: number) =>
  new DeliveryError(reason, status >= 500 || status === 429, status, retryAfter);

describe('deliver', () => {
  it('waits exactly Retry-After on a 429, then posts', async () => {
    const { ctx, slept } = context();
    const s = script(http(429, 'rate_limited', 2));
    expect(await deliver(s.send, ctx)).toEqual({ kind: 'posted', attempts: 2, rateLimited: 1, unconfirmed: false });
    expect(slept).toEqual([2000]);
  });

  it('backs off exponentially with jitter on 5xx and network errors', async () => {
    const { ctx, slept } = context();
    const s = script(http(500, 'rollup_error'), new DeliveryError('network_error', true), http(503, 'http_503'));
    expect((await deliver(s.send, ctx)).kind).toBe('posted');
    expect(slept).toEqual([75, 150, 300]); // base · 2^(n-1) · (0.5 + random/2)
  });

  it('does not retry what cannot succeed, and says why', async () => {
    const { ctx, slept } = context();
    const s = script(http(404, 'no_service'));
    expect(await deliver(s.send, ctx)).toEqual({
      kind: 'dead',
      attempts: 1,
      rateLimited: 0,
      reason: 'no_service',
      status: 404,
    });
    expect(slept).toEqual([]);
  });

  it('treats a reply that timed out after the request left as posted, and never resends it', async () => {
    const { ctx } = context();
    const s = script(new DeliveryError('timeout', true));
    expect(await deliver(s.send, ctx)).toEqual({ kind: 'posted', attempts: 1, rateLimited: 0, unconfirmed: true });
    expect(s.calls()).toBe(1);
  });

  it('retries a timeout before the request left', async () => {
    const { ctx } = context();
    const s = script(new DeliveryError('connect_timeout', true));
    expect(await deliver(s.send, ctx)).toMatchObject({ kind: 'posted', attempts: 2, unconfirmed: false });
  });

  it('hands the record back when attempts or time run out, or Retry-After is too long to wait', async () => {
    const fiveHundreds = Array.from({ length: 10 }, () => http(500, 'rollup_error'));
    expect(await deliver(script(...fiveHundreds).send, context().ctx)).toEqual({
      kind: 'retry_later',
      attempts: 4,
      rateLimited: 0,
      reason: 'rollup_error',
    });
    expect((await deliver(script(...fiveHundreds).send, context({ remainingMs: () => 500 }).ctx)).attempts).toBe(1);
    expect(await deliver(script(http(429, 'rate_limited', 60)).send, context().ctx)).toMatchObject({
      kind: 'retry_later',
      rateLimited: 1,
      attempts: 1,
    });
  });
});
