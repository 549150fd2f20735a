import { decideRate, rateNotice, type RateSettings } from '../../../functions/sending/rate-check';
import type { RateCounts } from '../../../functions/sending/rate-window';

const settings: RateSettings = {
  windowMs: 86_400_000,
  minVolume: 50,
  warnAt: 0.02,
  alertAt: 0.05,
  reminderMs: 4 * 3_600_000,
};
const c = (delivered: number, hard: number): RateCounts => ({ delivered, hard, soft: 0, hardByRecipientDomain: {} });
const NOW = 1_000_000_000_000;

describe('decideRate', () => {
  it('reminds of an acknowledged alert no more, posts its escalation and its resolution', () => {
    const acknowledged = { level: 'warning' as const, since: NOW, lastNoticeAt: NOW, lastRate: 0.03, reminders: 0 };
    const marked = { ...acknowledged, acknowledged: { by: 'U0PERSON1', at: NOW + 1 } };
    expect(decideRate(c(970, 30), acknowledged, settings, NOW + settings.reminderMs).notice?.state).toBe('reminder');
    expect(decideRate(c(970, 30), marked, settings, NOW + 10 * settings.reminderMs).notice).toBeUndefined();
    const worse = decideRate(c(900, 100), marked, settings, NOW + 10);
    expect(worse.notice).toEqual({ state: 'problem', level: 'alert' });
    // A new level is a new alert: acknowledged again or reminded of.
    expect(worse.next?.acknowledged).toBeUndefined();
    expect(decideRate(c(999, 1), marked, settings, NOW + 10).notice?.state).toBe('resolved');
  });

  it('waits for minVolume', () => {
    expect(decideRate(c(40, 9), undefined, settings, NOW).notice).toBeUndefined();
    expect(decideRate(c(41, 9), undefined, settings, NOW).notice).toEqual({ state: 'problem', level: 'alert' });
  });

  it('warns at warnAt, alerts at alertAt, and says nothing just under', () => {
    expect(decideRate(c(981, 19), undefined, settings, NOW).notice).toBeUndefined();
    expect(decideRate(c(980, 20), undefined, settings, NOW).notice).toEqual({ state: 'problem', level: 'warning' });
    expect(decideRate(c(950, 50), undefined, settings, NOW).notice).toEqual({ state: 'problem', level: 'alert' });
  });

  it('decides nothing without a delivered event, and says the rate needs them', () => {
    const decision = decideRate(c(0, 80), undefined, settings, NOW);
    expect(decision.notice).toBeUndefined();
    expect(decision.needsDelivered).toBe(true);
  });

  it('escalates a warning, reminds no sooner than reminderMs, and resolves under warnAt', () => {
    const warning = decideRate(c(970, 30), undefined, settings, NOW).next!;
    expect(decideRate(c(950, 50), warning, settings, NOW + 1).notice).toEqual({ state: 'problem', level: 'alert' });
    expect(decideRate(c(970, 30), warning, settings, NOW + settings.reminderMs - 1).notice).toBeUndefined();
    const reminder = decideRate(c(970, 30), warning, settings, NOW + settings.reminderMs);
    expect(reminder.notice).toEqual({ state: 'reminder', level: 'warning', reminder: 1 });
    expect(decideRate(c(990, 10), reminder.next, settings, NOW + settings.reminderMs + 1).notice?.state).toBe(
      'resolved',
    );
  });

  it('gives a notice the same key whoever decides it, and another for each change', () => {
    const decision = decideRate(c(939, 61), undefined, settings, NOW);
    const a = rateNotice('mail.example.com', { notice: decision.notice! }, undefined, c(939, 61), settings, NOW);
    const b = rateNotice('mail.example.com', { notice: decision.notice! }, undefined, c(939, 61), settings, NOW);
    expect(a.key).toBe(b.key);
    const resolved = rateNotice(
      'mail.example.com',
      { notice: { state: 'resolved', level: 'alert' } },
      decision.next,
      c(100, 0),
      settings,
      NOW + 1,
    );
    expect(resolved.key).not.toBe(a.key);
    expect(resolved.previousRate).toBeCloseTo(0.061, 10);
  });
});
