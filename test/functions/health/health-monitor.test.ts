import type { HealthNotice } from '../../../functions/alerts';
import { HealthMonitor } from '../../../functions/health/health-monitor';
import { captureLogger } from '../../support/capture-logger';

jest.useFakeTimers();

function monitor(to?: string[]) {
  const clock = { now: 0 };
  const posted: { notice: HealthNotice; targets: readonly string[] }[] = [];
  const logger = captureLogger();
  const m = new HealthMonitor({
    destinations: ['a', 'b', 'c'],
    ...(to ? { to } : {}),
    reminderMs: 4 * 3_600_000,
    settleMs: 1000,
    now: () => clock.now,
    post: (notice, targets) => posted.push({ notice, targets }),
    logger,
  });
  return { m, posted, clock, logger };
}

describe('HealthMonitor', () => {
  it('sends one notice for a burst, to every destination but the broken one, counting the burst', () => {
    const { m, posted } = monitor();
    for (let i = 0; i < 50; i++) m.problem('destination', 'a', 'no_service');
    expect(posted).toHaveLength(0);
    jest.advanceTimersByTime(1000);
    expect(posted).toHaveLength(1);
    expect(posted[0]!.targets).toEqual(['b', 'c']);
    expect(posted[0]!.notice).toMatchObject({ state: 'problem', subject: 'a', reason: 'no_service', affected: 50 });
    m.problem('destination', 'a', 'no_service');
    jest.advanceTimersByTime(10_000);
    expect(posted).toHaveLength(1);
  });

  it('reminds at most every reminderMs while the problem lasts, then says when it is resolved', () => {
    const { m, posted, clock } = monitor();
    m.problem('destination', 'a', 'no_service');
    jest.advanceTimersByTime(1000);
    clock.now = 3 * 3_600_000;
    m.problem('destination', 'a', 'no_service');
    expect(posted).toHaveLength(1);
    clock.now = 4 * 3_600_000 + 1;
    m.problem('destination', 'a', 'no_service');
    m.problem('destination', 'a', 'no_service');
    expect(posted.map((p) => p.notice.state)).toEqual(['problem', 'reminder']);
    m.recovered('destination', 'a');
    expect(posted.map((p) => p.notice.state)).toEqual(['problem', 'reminder', 'resolved']);
    expect(new Set(posted.map((p) => p.notice.key)).size).toBe(3);
  });

  it('forgets a problem that recovers before it is announced, and uses health.to when set', () => {
    const { m, posted } = monitor(['a']);
    m.problem('destination', 'b', 'http_500');
    m.recovered('destination', 'b');
    jest.advanceTimersByTime(5000);
    expect(posted).toHaveLength(0);
    m.problem('quarantine', 'quarantine', 'malformed_json');
    jest.advanceTimersByTime(1000);
    expect(posted[0]!.targets).toEqual(['a']);
  });

  it('logs an error when no other destination can be told', () => {
    const { m, posted, logger } = monitor(['a']);
    m.problem('destination', 'a', 'no_service');
    jest.advanceTimersByTime(1000);
    expect(posted).toHaveLength(0);
    expect(logger.lines).toContainEqual(expect.objectContaining({ level: 'error' }));
  });
});
