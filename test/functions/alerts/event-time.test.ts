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
