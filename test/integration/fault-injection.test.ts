import * as delivery from '../../functions/delivery/retry';
import { MemoryPacer, SendGate } from '../../functions/delivery';
import { DeliveryError } from '../../functions/chat';
import {
  DEFAULT_MIX,
  EXPECTED_REASONS,
  RETRY_AFTER_MS,
  runFaultMix,
  scenarios,
  FAST_SETTINGS,
  type DestinationAccount,
  type FaultMixReport,
  type ScenarioName,
} from '../support/fault-mix';

/*
 * Hundreds of events through the local relay (real HTTP on 127.0.0.1) to a Slack and a Teams fake that answer
 * each (event, attempt) with a scripted fault, plus repeated webhooks; then every (destination, event) is
 * accounted for: posted exactly once, or in the dead-letter store for the scripted reason.
 */

const EVENTS = 300;
const SEED = 20_261_121;
const table = scenarios(FAST_SETTINGS);
const count = (d: DestinationAccount, ...names: ScenarioName[]): number =>
  names.reduce((n, s) => n + (d.scenarios[s] ?? 0), 0);
const DEAD_SCENARIOS = (Object.keys(table) as ScenarioName[]).filter((s) => table[s].expect === 'dead');
const POSTED_SCENARIOS = (Object.keys(table) as ScenarioName[]).filter((s) => table[s].expect === 'posted');
const UNCONFIRMED_SCENARIOS = (Object.keys(table) as ScenarioName[]).filter((s) => table[s].expect === 'unconfirmed');

describe('fault injection: every alert is posted once or dead-lettered with its reason', () => {
  let report: FaultMixReport;

  beforeAll(async () => {
    report = await runFaultMix({
      events: EVENTS,
      seed: SEED,
      duplicateRate: 0.1,
      concurrency: 20,
      // Each post waits for one journal flush (its intent, with the last post's outcome): about 15% longer.
      timeLimitMs: 80_000,
    });
  }, 90_000);

  it('ran the whole mix, with repeated webhooks, and answered every webhook 202', () => {
    expect(report.eventsSent).toBe(EVENTS);
    expect(report.duplicateWebhooksSent).toBeGreaterThanOrEqual(EVENTS * 0.1);
    expect(report.webhookStatuses).toEqual({ '202': EVENTS + report.duplicateWebhooksSent });
    // Every scenario was played on both platforms.
    expect(report.destinations.map((d) => d.platform).sort()).toEqual(['slack', 'teams']);
    const mixed = (Object.keys(DEFAULT_MIX) as ScenarioName[]).filter((s) => DEFAULT_MIX[s] > 0).sort();
    for (const d of report.destinations) expect(Object.keys(d.scenarios).sort()).toEqual(mixed);
  });

  it('loses nothing and posts nothing twice; the account has no discrepancy', () => {
    expect(report.problems).toEqual([]);
    expect(report.totals).toMatchObject({ lost: 0, duplicated: 0, unexpected: 0 });
    for (const d of report.destinations) {
      const deadEvents = Object.values(d.deadLettered).reduce((a, b) => a + b, 0);
      expect(d.postedOnce + d.postedUnconfirmed + deadEvents).toBe(EVENTS);
      expect(d.server.unkeyed).toBe(0);
    }
  });

  it('posts the events whose faults clear, confirmed, and those with a late reply once, unconfirmed (never resent)', () => {
    for (const d of report.destinations) {
      expect(d.postedOnce).toBe(count(d, ...POSTED_SCENARIOS));
      expect(d.postedUnconfirmed).toBe(count(d, ...UNCONFIRMED_SCENARIOS));
      expect(d.server.slowReplies).toBe(d.postedUnconfirmed);
      expect(d.metrics.AlertsUnconfirmed).toBe(d.postedUnconfirmed);
      expect(d.metrics.AlertsPosted).toBe(d.postedOnce);
      expect(d.server.posted).toBe(d.postedOnce + d.postedUnconfirmed);
    }
  });

  it('dead-letters each failing event with the reason of its fault', () => {
    for (const d of report.destinations) {
      const expected: Record<string, number> = {};
      for (const name of DEAD_SCENARIOS) {
        const reason = EXPECTED_REASONS[d.platform][table[name].afterwards]!;
        if (count(d, name) > 0) expected[reason] = (expected[reason] ?? 0) + count(d, name);
      }
      expect(d.deadLettered).toEqual(expected);
      expect(d.metrics.DeadLetters).toBe(d.deadLetterEntries);
      // Revoked webhook and archived channel: at once, without retrying; they trip the destination's alarm.
      expect(d.metrics.DestinationBroken).toBe(d.server.notFound + d.server.gone);
      expect(d.metrics.DestinationBroken).toBeGreaterThanOrEqual(count(d, 'no_service', 'archived'));
    }
    expect(report.destinations.find((d) => d.platform === 'slack')!.deadLettered).toMatchObject({
      no_service: expect.any(Number),
      channel_is_archived: expect.any(Number),
      http_503: expect.any(Number),
      rollup_error: expect.any(Number),
      network_error: expect.any(Number),
    });
  });

  it('skips repeated webhooks of posted events', () => {
    for (const d of report.destinations) {
      expect(d.expected.duplicatesSkipped).toBeGreaterThan(0);
      expect(d.metrics.Duplicates).toBe(d.expected.duplicatesSkipped);
    }
  });

  it('waits for Retry-After after a 429, then posts; the relay counts the 429s the platform sent', () => {
    for (const d of report.destinations) {
      expect(d.server.rateLimited).toBe(count(d, 'rate_limited_once'));
      expect(d.server.rateLimited).toBeGreaterThan(0);
      expect(d.metrics.RateLimited).toBe(d.server.rateLimited);
      expect(d.minRetryAfterGapMs).toBeGreaterThanOrEqual(RETRY_AFTER_MS - 5);
    }
    expect(report.totals.rateLimited).toBe(report.totals.serverRateLimited);
  });

  it('retries exactly as often as the platform saw it retry', () => {
    for (const d of report.destinations) {
      expect(d.metrics.Retries).toBeGreaterThan(0);
      expect(d.metrics.Retries).toBe(d.expected.retries);
    }
  });
});

/*
 * A 429 on the last attempt of a receive (or with a Retry-After above maxRetryAfterMs, or longer than the time left)
 * hands the record back to the queue; its next receive must still wait for Retry-After, not the shorter
 * redelivery delay (20 ms here, against "Retry-After: 1").
 */
describe('fault injection: Retry-After of a 429 that ends a receive', () => {
  it('does not send again before Retry-After has passed', async () => {
    const report = await runFaultMix({
      events: 4,
      seed: 11,
      duplicateRate: 0,
      mix: { rate_limited_at_receive_end: 1 },
      timeLimitMs: 20_000,
    });
    // 429s were served, and the gap after each was measured.
    expect(report.totals.serverRateLimited).toBeGreaterThan(0);
    expect(report.destinations.every((d) => d.minRetryAfterGapMs !== undefined)).toBe(true);
    expect(report.totals.lost + report.totals.duplicated).toBe(0);
    expect(report.problems).toEqual([]);
  });
});

/** The same account, run against relays broken on purpose: it must see each fault. */
describe('fault injection: the account catches a faulty relay', () => {
  const realDeliver = delivery.deliver;
  afterEach(() => jest.restoreAllMocks());

  it('catches a relay that sends again after a reply timed out', async () => {
    jest.spyOn(delivery, 'deliver').mockImplementation(async (send, context) => {
      const outcome = await realDeliver(send, context);
      return outcome.kind === 'posted' && outcome.unconfirmed
        ? { kind: 'retry_later', attempts: outcome.attempts, rateLimited: outcome.rateLimited, reason: 'timeout' }
        : outcome;
    });
    const report = await runFaultMix({
      events: 8,
      seed: 7,
      duplicateRate: 0,
      mix: { slow_first: 1, ok: 1 },
      timeLimitMs: 20_000,
    });
    expect(report.totals.duplicated).toBe(8);
    expect(report.problems.join('\n')).toMatch(/is duplicated: posted 2 times/);
  });

  it('catches a relay that drops an alert on 429', async () => {
    jest.spyOn(delivery, 'deliver').mockImplementation((send, context) =>
      realDeliver(async () => {
        try {
          await send();
        } catch (error) {
          if (error instanceof DeliveryError && error.status === 429) return;
          throw error;
        }
      }, context),
    );
    const report = await runFaultMix({
      events: 8,
      seed: 8,
      duplicateRate: 0,
      mix: { rate_limited_once: 1, ok: 1 },
      timeLimitMs: 20_000,
    });
    expect(report.totals.lost).toBe(8);
    expect(report.problems.join('\n')).toMatch(/is lost: not posted, not dead-lettered/);
  });

  it('catches a relay that does not wait for Retry-After', async () => {
    // Neither in the time it hands the alert back for, nor through the destination's pacer or its send gate, which
    // also hold posts back after a 429.
    jest.spyOn(MemoryPacer.prototype, 'holdUntil').mockResolvedValue();
    jest.spyOn(SendGate.prototype, 'pause').mockReturnValue();
    jest.spyOn(delivery, 'deliver').mockImplementation(async (send, context) => {
      const outcome = await realDeliver(send, context);
      return outcome.kind === 'retry_later' ? { ...outcome, notBeforeMs: 20 } : outcome;
    });
    const report = await runFaultMix({
      events: 4,
      seed: 9,
      duplicateRate: 0,
      mix: { rate_limited_once: 1 },
      timeLimitMs: 20_000,
    });
    expect(report.totals.lost + report.totals.duplicated).toBe(0);
    expect(report.problems.join('\n')).toMatch(/was sent again \d+ ms after a 429 with Retry-After: 1/);
  });

  it('catches a relay that gives up on a retryable failure at once', async () => {
    jest.spyOn(delivery, 'deliver').mockImplementation(async (send, context) => {
      const outcome = await realDeliver(send, context);
      return outcome.kind === 'retry_later' && outcome.attempts > 0 ? { ...outcome, kind: 'dead' } : outcome;
    });
    const report = await runFaultMix({
      events: 6,
      seed: 10,
      duplicateRate: 0,
      mix: { server_error_twice: 1, unavailable_until_last_attempt: 1 },
      timeLimitMs: 20_000,
    });
    // Dead-lettered instead of posted, and counted as broken though the platform never said so.
    expect(report.totals.unexpected).toBeGreaterThan(0);
    expect(report.problems.join('\n')).toMatch(/expected posted, was dead-lettered/);
    expect(report.problems.join('\n')).toMatch(/metric DestinationBroken = \d+, but the account says 0/);
  });
});
