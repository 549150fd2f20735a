import { parseRelayConfig } from '../../../functions/config';
import { adviceSettings, ratesLine, rateSettings, rateTargets } from '../../../functions/sending/sending-settings';

const config = (extra: Record<string, unknown>) =>
  parseRelayConfig(
    {
      destinations: [{ name: 'ops' }, { name: 'audit' }, { name: 'quiet' }],
      routes: [
        { events: ['permanent_failure'], to: ['ops', 'audit'] },
        { events: ['temporary_failure'], to: ['quiet'] },
      ],
      ...extra,
    },
    'deploy',
  );

describe('sending settings', () => {
  it('send rate alerts to the destinations of permanent failures, or to rates.to', () => {
    expect(rateTargets(config({}))).toEqual(['ops', 'audit']);
    expect(rateTargets(config({ rates: { to: ['quiet'] } }))).toEqual(['quiet']);
  });

  it('resolve windows and reminders to milliseconds', () => {
    expect(rateSettings(config({ rates: { window: '6h' }, health: { reminderHours: 2 } }))).toEqual({
      windowMs: 6 * 3_600_000,
      minVolume: 50,
      warnAt: 0.02,
      alertAt: 0.05,
      reminderMs: 2 * 3_600_000,
    });
    expect(adviceSettings(config({}))).toEqual({ hardBounces: 3, windowMs: 30 * 86_400_000 });
  });

  it('say what they watch and that they need the Delivered webhook', () => {
    const line = ratesLine(config({}));
    expect(line).toContain('warning at 2 %, alert at 5 %, from 50 messages, to ops, audit');
    expect(line).toContain('"Delivered" webhook');
  });

  it('refuse a bad window, thresholds out of order and an unknown destination, saying what to write', () => {
    expect(() => config({ rates: { window: 'a day', warnAt: 0.1, alertAt: 0.05, to: ['nobody'] } })).toThrow(
      /rates\.window: expected a duration such as "24h"[\s\S]*rates\.alertAt: must be at least rates\.warnAt[\s\S]*rates\.to\[0\]: no destination is named "nobody"/,
    );
  });
});
