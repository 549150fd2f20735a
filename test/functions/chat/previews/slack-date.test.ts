import { slackDateText } from '../../../../functions/chat/previews/slack-date';

/* A date token shows in the reader's zone, as Slack shows it; the fallback label is for clients that cannot. */

const AT = Date.UTC(2026, 10, 20, 14, 3, 11) / 1000; // 2026-11-20 14:03:11 UTC
const FAR = new Date(Date.UTC(2027, 0, 15, 12));

describe('slackDateText', () => {
  it("fills the relay's {date_short_pretty} {time} in the reader's zone", () => {
    expect(slackDateText(AT, '{date_short_pretty} {time}', FAR, 'America/New_York')).toBe('Nov 20, 2026 9:03 AM');
    expect(slackDateText(AT, '{date_short_pretty} {time}', FAR, 'Asia/Tokyo')).toBe('Nov 20, 2026 11:03 PM');
    expect(slackDateText(AT, '{date_short_pretty} {time}', FAR, 'Pacific/Kiritimati')).toBe('Nov 21, 2026 4:03 AM');
  });

  it('says Today, Yesterday or Tomorrow by the calendar day of the zone', () => {
    const fmt = '{date_short_pretty} at {time}';
    const sameDayInNewYork = new Date(Date.UTC(2026, 10, 21, 3)); // still Nov 20 in New York, Nov 21 in UTC
    expect(slackDateText(AT, fmt, sameDayInNewYork, 'America/New_York')).toBe('Today at 9:03 AM');
    expect(slackDateText(AT, fmt, sameDayInNewYork, 'UTC')).toBe('Yesterday at 2:03 PM');
    expect(slackDateText(AT, fmt, new Date(Date.UTC(2026, 10, 19, 12)), 'UTC')).toBe('Tomorrow at 2:03 PM');
  });

  it('writes every documented format, and leaves an unknown one as written', () => {
    const zone = 'UTC';
    const text = (format: string) => slackDateText(AT, format, FAR, zone);
    expect(text('{date_num}')).toBe('2026-11-20');
    expect(text('{date_slash}')).toBe('11/20/2026');
    expect(text('{date}')).toBe('November 20th, 2026');
    expect(text('{date_short}')).toBe('Nov 20, 2026');
    expect(text('{date_long}')).toBe('Friday, November 20th, 2026');
    expect(text('{time_secs}')).toBe('2:03:11 PM');
    expect(text('on {date_pretty}, {nonsense}')).toBe('on November 20th, 2026, {nonsense}');
    expect(slackDateText(Date.UTC(2026, 0, 1) / 1000, '{date} {date_long}', FAR, zone)).toBe(
      'January 1st, 2026 Thursday, January 1st, 2026',
    );
    expect(slackDateText(Date.UTC(2026, 0, 12) / 1000, '{date}', FAR, zone)).toBe('January 12th, 2026');
    expect(slackDateText(Date.UTC(2026, 0, 23) / 1000, '{date}', FAR, zone)).toBe('January 23rd, 2026');
  });
});
