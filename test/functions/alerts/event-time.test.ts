import { formatTime, isTimeZone, parseEventTime, rfc3339 } from '../../../functions/alerts/event-time';

describe('event times', () => {
  it('reads only well-formed ISO 8601 times with a zone', () => {
    expect(parseEventTime('2026-11-20T14:03:11.482Z')).toBe(Date.UTC(2026, 10, 20, 14, 3, 11, 482));
    expect(parseEventTime('2026-11-20T09:03:11-05:00')).toBe(Date.UTC(2026, 10, 20, 14, 3, 11));
    // Date.parse would read each of these as a date.
    for (const loose of ['1.', '1', 'Tuesday 3', '2026-11-20', '2026-11-20T14:03:11', '<!here> 2026-11-20T14:03Z']) {
      expect(parseEventTime(loose)).toBeUndefined();
    }
  });

  it('formats to the minute in the configured zone, and as RFC 3339 for Adaptive Cards', () => {
    const at = Date.UTC(2026, 10, 20, 14, 3, 11, 482);
    expect(formatTime(at)).toBe('2026-11-20 14:03 UTC');
    expect(formatTime(at, 'America/New_York')).toBe('2026-11-20 09:03 EST');
    expect(rfc3339(at)).toBe('2026-11-20T14:03:11Z');
    expect(isTimeZone('Europe/Berlin')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});

describe('formatTime in UTC', () => {
  it('is what the Intl formatter gives for UTC, without building one', () => {
    const intl = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'UTC',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    });
    for (const iso of ['2026-11-20T14:03:11.123Z', '2026-01-01T00:00:00Z', '2026-12-31T23:59:59.999Z']) {
      const parts = intl.formatToParts(Date.parse(iso));
      const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
      const expected = `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')} ${get('timeZoneName')}`;
      expect(formatTime(Date.parse(iso), 'UTC')).toBe(expected);
    }
  });
});
