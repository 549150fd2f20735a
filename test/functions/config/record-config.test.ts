import { parseRelayConfig } from '../../../functions/config/parse-relay-config';
import { recordDetail } from '../../../functions/config/record-config';
import { ConfigError } from '../../../functions/config/errors';

const base = {
  destinations: [{ name: 'ops' }, { name: 'care-team' }],
  routes: [{ events: ['permanent_failure'], to: ['ops', 'care-team'] }],
};

function problems(extra: Record<string, unknown>): string[] {
  try {
    parseRelayConfig({ ...base, ...extra }, 'deploy');
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('archive, reports and automation in the relay configuration', () => {
  it('resolves defaults: minimal detail, a year of retention, reports at 08:00 UTC, no bus', () => {
    const config = parseRelayConfig(
      { ...base, archive: {}, reports: [{ to: ['ops'], every: 'day' }], automation: {} },
      'deploy',
    );
    expect(config.archive).toEqual({ detail: 'minimal', retentionDays: 365 });
    expect(config.reports).toEqual([{ to: ['ops'], every: 'day', at: '08:00', timeZone: 'UTC' }]);
    expect(config.automation).toEqual({ eventBridge: false });
    expect(recordDetail(config)).toBe('minimal');
  });

  it('leaves them out when absent, and keeps what is given', () => {
    const none = parseRelayConfig(base, 'deploy');
    expect(none.archive).toBeUndefined();
    expect(none.reports).toBeUndefined();
    expect(none.automation).toBeUndefined();
    const full = parseRelayConfig(
      {
        ...base,
        archive: { detail: 'full', retentionDays: 2190 },
        reports: [{ to: ['care-team'], every: 'week', at: '17:45', timeZone: 'Europe/Paris', header: 'X-Campaign' }],
        automation: { eventBridge: true },
      },
      'deploy',
    );
    expect(full.archive).toEqual({ detail: 'full', retentionDays: 2190 });
    expect(full.reports?.[0]).toEqual({
      to: ['care-team'],
      every: 'week',
      at: '17:45',
      timeZone: 'Europe/Paris',
      header: 'X-Campaign',
    });
    expect(recordDetail(full)).toBe('full');
  });

  it('lists every problem with its path and what to write instead', () => {
    expect(
      problems({
        archive: { retentionDays: 0 },
        reports: [{ to: ['pager'], every: 'day', at: '8am', timeZone: 'Mars/Olympus', header: 'X Campaign' }],
      }),
    ).toEqual([
      'archive.retentionDays: expected a whole number of days from 1 to 3650, got 0',
      'reports[0].to[0]: no destination is named "pager" (defined: ops, care-team)',
      'reports[0].at: expected a 24-hour time such as "08:00", got "8am"',
      'reports[0].timeZone: expected an IANA time zone such as "America/New_York"',
      'reports[0].header: expected a header name of letters, digits and dashes, such as "X-Campaign"',
    ]);
    expect(problems({ archive: { detail: 'everything' } })).toEqual([
      'archive.detail: expected one of "minimal", "recipient", "full"',
    ]);
    expect(problems({ reports: [{ to: ['ops'], every: 'month' }], archive: {} })).toEqual([
      'reports[0].every: expected one of "day", "week"',
    ]);
    expect(problems({ automation: { eventBridge: 'yes' } })).toEqual(['automation.eventBridge: expected a boolean']);
    expect(problems({ archive: { keep: true } })).toEqual([
      'archive: unknown key "keep"; allowed: detail, retentionDays',
    ]);
  });

  it('refuses reports without an archive to read them from', () => {
    expect(problems({ reports: [{ to: ['ops'], every: 'week' }] })).toEqual([
      'reports: summaries are read from the archive; add "archive": {} (or remove "reports")',
    ]);
  });
});
