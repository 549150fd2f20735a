import { formatCount, tidy, VALUE_LIMITS } from './clean-text';
import { SHORT_TYPE_LABELS } from './event-labels';
import type { Severity } from './guidance';
import {
  type DomainCount,
  formatBounceRate,
  type RateNotice,
  type SendingNotice,
  type SilenceEndNotice,
  type SilenceMatch,
} from './sending-notice';

/**
 * What every renderer shows of a sending notice, so Slack, Teams and the console say the same thing: cleaned and
 * cut text, not yet escaped (each renderer escapes it its own way). Domains and a silence's reason are untrusted.
 */
export interface SendingText {
  readonly title: string;
  readonly severity: Severity;
  /** Our own words: what to do. */
  readonly guidance: string;
  readonly facts: readonly { readonly label: string; readonly value: string }[];
  /** The last line: the notice's key, to find it in the logs. */
  readonly context: string;
}

/** Silence reasons are shown up to this length. */
const REASON_LIMIT = 200;
const TOP_DOMAINS = 5;

const domain = (d: string): string => tidy(d, VALUE_LIMITS.domain);
const rateOf = (n: Pick<RateNotice, 'hard' | 'total'>): number => (n.total === 0 ? 0 : n.hard / n.total);

/** "example.org 30, example.net 12" */
function domainList(list: readonly DomainCount[]): string {
  if (list.length === 0) return 'none';
  return list
    .slice(0, TOP_DOMAINS)
    .map((d) => `${domain(d.domain)} ${formatCount(d.count)}`)
    .join(', ');
}

function trend(notice: RateNotice): string {
  const now = rateOf(notice);
  if (notice.previousRate === undefined) return 'first alert for this domain';
  const before = formatBounceRate(notice.previousRate);
  if (Math.round(now * 1000) === Math.round(notice.previousRate * 1000)) return `unchanged since the last notice`;
  return `${now > notice.previousRate ? 'up' : 'down'} from ${before} at the last notice`;
}

export const RATE_GUIDANCE =
  'Mail providers judge a sender by its hard-bounce rate (Amazon SES reviews an account at 5 % and may pause it at ' +
  '10 %). Find the stale list behind it (the recipient domains below show where), stop sending to addresses that ' +
  'keep hard-bouncing (`npx paubox-relay suppressions`), and correct them at the source.';

function rateText(notice: RateNotice): SendingText {
  const rate = formatBounceRate(rateOf(notice));
  const where = domain(notice.senderDomain);
  const counts = `${formatCount(notice.hard)} of ${formatCount(notice.total)} in ${notice.windowHours} h`;
  const facts = [
    { label: 'Hard bounces', value: `${counts} (delivered and hard-bounced messages)` },
    { label: 'Soft bounces', value: `${formatCount(notice.soft)} (not counted in the rate)` },
    { label: 'Trend', value: trend(notice) },
    { label: 'Top failing recipient domains', value: domainList(notice.topRecipientDomains) },
    { label: 'Since', value: tidy(notice.since, VALUE_LIMITS.time) },
  ];
  const context = `Relay: bounce rate notice ${notice.key}`;
  if (notice.state === 'resolved') {
    return {
      title: `Bounce rate back to ${rate} for ${where}: ${counts}`,
      severity: 'info',
      guidance: 'Nothing to do: the rate is under the warning threshold again.',
      facts: facts.filter((f) => f.label !== 'Top failing recipient domains'),
      context,
    };
  }
  const still = notice.state === 'reminder' ? `still ${rate}, reminder ${notice.reminder ?? 1}` : rate;
  return {
    title: `Bounce rate ${still} for ${where}: ${counts}`,
    severity: notice.level === 'alert' ? 'error' : 'warning',
    guidance: RATE_GUIDANCE,
    facts,
    context,
  };
}

/** "temporary failures, sender domain mail.example.com, recipient domain example.org" */
export function describeMatch(match: SilenceMatch): string {
  const parts = [
    match.event !== undefined ? `${SHORT_TYPE_LABELS[match.event]} events` : 'all events',
    ...(match.senderDomain !== undefined ? [`sender domain ${domain(match.senderDomain)}`] : []),
    ...(match.recipientDomain !== undefined ? [`recipient domain ${domain(match.recipientDomain)}`] : []),
    ...(match.fingerprint !== undefined ? [`recipient ${tidy(match.fingerprint, VALUE_LIMITS.fingerprint)}`] : []),
  ];
  return parts.join(', ');
}

function silenceText(notice: SilenceEndNotice): SendingText {
  const total = notice.hidden.reduce((sum, h) => sum + h.count, 0);
  const hidden = [...notice.hidden]
    .sort((a, b) => b.count - a.count)
    .slice(0, 10)
    .map((h) => `${SHORT_TYPE_LABELS[h.type]} · ${domain(h.domain)}: ${formatCount(h.count)}`);
  const more = notice.hidden.length > 10 ? [`and ${notice.hidden.length - 10} more`] : [];
  return {
    title: `Silence ${tidy(notice.id, VALUE_LIMITS.key)} ended: it hid ${formatCount(total)} ${total === 1 ? 'alert' : 'alerts'}`,
    severity: 'info',
    guidance:
      'Alerts that match it are posted again from now on. What it hid is in the archive and in the reports; ' +
      'start a new one with `npx paubox-relay silence add`.',
    facts: [
      { label: 'Silenced', value: describeMatch(notice.match) },
      { label: 'Reason', value: tidy(notice.reason, REASON_LIMIT) },
      {
        label: 'Held',
        value: `${tidy(notice.startedAt, VALUE_LIMITS.time)} to ${tidy(notice.endedAt, VALUE_LIMITS.time)}`,
      },
      { label: 'Hidden', value: [...hidden, ...more].join('; ') || 'nothing' },
    ],
    context: `Relay: silence notice ${notice.key}`,
  };
}

export function sendingText(notice: SendingNotice): SendingText {
  return notice.sending === 'rate' ? rateText(notice) : silenceText(notice);
}
