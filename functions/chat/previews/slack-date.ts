/**
 * Slack's date tokens, `<!date^seconds^format|fallback>`, as Slack shows them: the format's `{…}` parts filled in
 * the reader's own time zone (the browser's, unless `timeZone` is given), in English as Slack writes them. The
 * fallback is for clients that cannot do this, never what a reader of the channel sees.
 */

const MONTH_DAY = (day: number): string => {
  const teen = day % 100 >= 11 && day % 100 <= 13;
  return `${day}${teen ? 'th' : (['th', 'st', 'nd', 'rd'][day % 10] ?? 'th')}`;
};

interface Parts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: string;
  readonly monthLong: string;
  readonly monthShort: string;
}

function partsOf(date: Date, timeZone: string | undefined): Parts {
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    weekday: 'long',
  }).formatToParts(date);
  const part = (type: Intl.DateTimeFormatPartTypes): string => format.find((p) => p.type === type)?.value ?? '';
  const name = (month: 'long' | 'short'): string => new Intl.DateTimeFormat('en-US', { timeZone, month }).format(date);
  return {
    year: Number(part('year')),
    month: Number(part('month')),
    day: Number(part('day')),
    weekday: part('weekday'),
    monthLong: name('long'),
    monthShort: name('short'),
  };
}

/** Days from `now` to `date`, by calendar day in the zone: -1 yesterday, 0 today, 1 tomorrow. */
function dayOffset(date: Parts, now: Parts): number {
  return Math.round(
    (Date.UTC(date.year, date.month - 1, date.day) - Date.UTC(now.year, now.month - 1, now.day)) / 86_400_000,
  );
}

const RELATIVE: Readonly<Record<string, string>> = { '-1': 'Yesterday', '0': 'Today', '1': 'Tomorrow' };

/** Fills a date token's format; an unknown `{…}` is left as written, as Slack does. */
export function slackDateText(seconds: number, format: string, now = new Date(), timeZone?: string): string {
  const date = new Date(seconds * 1000);
  const p = partsOf(date, timeZone);
  const relative = RELATIVE[String(dayOffset(p, partsOf(now, timeZone)))];
  const time = (second?: '2-digit'): string =>
    new Intl.DateTimeFormat('en-US', { timeZone, hour: 'numeric', minute: '2-digit', second }).format(date);
  const two = (n: number): string => String(n).padStart(2, '0');
  const dateText = `${p.monthLong} ${MONTH_DAY(p.day)}, ${p.year}`;
  const tokens: Readonly<Record<string, () => string>> = {
    date_num: () => `${p.year}-${two(p.month)}-${two(p.day)}`,
    date_slash: () => `${two(p.month)}/${two(p.day)}/${p.year}`,
    date: () => dateText,
    date_short: () => `${p.monthShort} ${p.day}, ${p.year}`,
    date_long: () => `${p.weekday}, ${dateText}`,
    date_pretty: () => relative ?? dateText,
    date_short_pretty: () => relative ?? `${p.monthShort} ${p.day}, ${p.year}`,
    date_long_pretty: () => relative ?? `${p.weekday}, ${dateText}`,
    time: () => time(),
    time_secs: () => time('2-digit'),
  };
  return format.replace(/\{(\w+)\}/g, (whole, name: string) => tokens[name]?.() ?? whole);
}
