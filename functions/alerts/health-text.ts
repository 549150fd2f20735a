import { formatCount } from './clean-text';
import { HEALTH_PREFIX, type HealthNotice } from './health-notice';

/**
 * What every renderer shows of a health notice, so Slack, Teams and the console say the same thing. The words are
 * the relay's own; the only values are names and codes that {@link healthNotice} has checked.
 */

export interface HealthText {
  /** Begins with {@link HEALTH_PREFIX}. */
  readonly title: string;
  /** What is affected and since when. */
  readonly lines: readonly string[];
  /** The commands that fix it, in order; empty once resolved. */
  readonly fix: readonly string[];
}

function count(n: number, one: string, many: string): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

function problem(notice: HealthNotice): string {
  const { part, subject, reason } = notice;
  switch (part) {
    case 'destination':
      return `destination ${subject} is broken (${reason})`;
    case 'quarantine':
      return `webhooks quarantined (${reason})`;
    case 'probe':
      return `the destination probe failed (${reason})`;
    case 'ingest':
      return `ingest is failing (${reason})`;
    case 'delivery':
      return `delivery is failing (${reason})`;
    case 'strangers':
      return 'someone is posting to the webhook hostname without the token';
  }
}

function affectedLine(notice: HealthNotice): string {
  const { part, affected } = notice;
  if (part === 'quarantine') return `${count(affected, 'webhook', 'webhooks')} kept in the quarantine so far.`;
  if (part === 'ingest') return `${count(affected, 'webhook', 'webhooks')} affected so far.`;
  if (part === 'strangers') {
    return (
      `${count(affected, 'request', 'requests')} in 5 minutes, each refused by API Gateway itself: nothing was ` +
      'queued or posted. Real webhooks are unaffected.'
    );
  }
  if (part === 'destination') return `${count(affected, 'alert', 'alerts')} dead-lettered so far; none are lost.`;
  return `${count(affected, 'alert', 'alerts')} affected so far.`;
}

/**
 * Slack Web API errors after which an app destination cannot post until a person acts: the token, the app or the
 * channel is gone. The probe reports them as broken; a post dead-letters at once.
 */
export const SLACK_APP_BROKEN_ERRORS: ReadonlySet<string> = new Set([
  'channel_not_found',
  'not_in_channel',
  'is_archived',
  'invalid_auth',
  'not_authed',
  'token_revoked',
  'token_expired',
  'account_inactive',
  'missing_scope',
  'no_permission',
  'team_access_not_granted',
  'ekm_access_denied',
]);

/**
 * What a person does about a destination that answers `reason`, before the redrive: a webhook URL is replaced, a
 * Slack app is invited, pointed at a live channel or given a new token. `channel_not_found` is both a revoked
 * webhook's answer and a Slack app's, so it names both fixes.
 */
export function destinationFix(reason: string, name: string): string {
  const url = `npx paubox-relay set-destination ${name} <url>`;
  if (reason === 'not_in_channel') return 'invite the app to the channel (/invite @<app name>)';
  if (reason === 'is_archived') return 'set "channel" to a live channel\'s id';
  if (reason === 'channel_not_found') return `${url} (a Slack app: set "channel" to a live channel's id)`;
  if (reason === 'no_bot_token' || SLACK_APP_BROKEN_ERRORS.has(reason)) {
    return `reinstall the Slack app and store its bot token: npx paubox-relay set-destination ${name} --bot-token -`;
  }
  return url;
}

/** The commands that fix a problem with `notice`'s part. */
export function fixCommands(notice: Pick<HealthNotice, 'part' | 'subject' | 'reason'>): string[] {
  switch (notice.part) {
    case 'destination':
      return [destinationFix(notice.reason, notice.subject), `npx paubox-relay redrive ${notice.subject}`];
    case 'quarantine':
      return ['npx paubox-relay quarantine'];
    case 'probe':
      return ['npx paubox-relay check-destinations'];
    case 'strangers':
      // Only if the token may have leaked (see the notice's lines): a stranger guessing gets nothing either way.
      return ['aws secretsmanager rotate-secret --secret-id <TokenSecretName>', 'npx paubox-relay webhook-url'];
    default:
      return ['npx paubox-relay dead-letters', 'see docs/health.md'];
  }
}

export function healthText(notice: HealthNotice): HealthText {
  // A notice about strangers stands for its whole UTC day (one a day at most).
  const since = notice.part === 'strangers' ? `On ${notice.since.slice(0, 10)} (UTC).` : `Since ${notice.since}.`;
  if (notice.state === 'heartbeat') {
    return {
      title: `${HEALTH_PREFIX} heartbeat`,
      lines: [
        `A scheduled check of destination ${notice.subject} at ${notice.since}: the relay can post here.`,
        'Teams cannot be checked without posting. To stop these, set "health": { "heartbeat": false }.',
      ],
      fix: [],
    };
  }
  if (notice.state === 'resolved') {
    const what = notice.part === 'destination' ? `destination ${notice.subject}` : notice.subject;
    return {
      title: `${HEALTH_PREFIX} ${what} works again (was ${notice.reason})`,
      lines: [`Broken since ${notice.since}; ${affectedLine(notice)}`],
      fix: notice.part === 'destination' && notice.affected > 0 ? [`npx paubox-relay redrive ${notice.subject}`] : [],
    };
  }
  const reminder = notice.state === 'reminder' ? ' (still)' : '';
  const leaked =
    'Nothing to do unless the token may have leaked (the Paubox dashboard, a shared screen): then rotate it and ' +
    'paste the new URL into Paubox within the overlap.';
  return {
    title: `${HEALTH_PREFIX} ${problem(notice)}${reminder}`,
    lines: [affectedLine(notice), since, ...(notice.part === 'strangers' ? [leaked] : [])],
    fix: fixCommands(notice),
  };
}

/** The fix as one line: "Fix: `a`, then `b`". */
export function fixLine(fix: readonly string[]): string {
  return fix.length === 0 ? '' : `Fix: ${fix.join(', then ')}`;
}
