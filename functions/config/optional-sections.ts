import { MAX_END_TO_END_DELAY_SECONDS, MIN_END_TO_END_DELAY_SECONDS } from './limits';
import type { AlarmsConfig, ConfigMode, DisplayConfig, PauboxApiConfig } from './relay-config';
import { DEFAULT_TIME_ZONE, isTimeZone } from './time-zones';

/** Checks of the optional top-level blocks (`alarms`, `paubox`, `display`), each problem saying what to write. */
const EMAIL_PATTERN = /^[^\s@"<>,;]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+$/;
const SNS_TOPIC_ARN_PATTERN = /^arn:aws(-[a-z]+)*:sns:[a-z]{2}(-[a-z]+)+-\d:\d{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?$/;

/** The `alarms` block's problems, each saying what to write instead. */
export function alarmsProblems(alarms: AlarmsConfig): string[] {
  const problems: string[] = [];
  if (alarms.email !== undefined && (alarms.email.length > 254 || !EMAIL_PATTERN.test(alarms.email))) {
    problems.push('alarms.email: expected one e-mail address such as oncall@example.com');
  }
  if (alarms.topicArn !== undefined) {
    if (!SNS_TOPIC_ARN_PATTERN.test(alarms.topicArn)) {
      problems.push(
        'alarms.topicArn: expected an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:relay-alarms',
      );
    } else if (alarms.topicArn.endsWith('.fifo')) {
      problems.push('alarms.topicArn: CloudWatch alarms cannot notify a FIFO topic; give a standard topic');
    }
  }
  const delay = alarms.endToEndDelaySeconds;
  if (
    delay !== undefined &&
    (!Number.isInteger(delay) || delay < MIN_END_TO_END_DELAY_SECONDS || delay > MAX_END_TO_END_DELAY_SECONDS)
  ) {
    problems.push(
      `alarms.endToEndDelaySeconds: expected a whole number of seconds from ${MIN_END_TO_END_DELAY_SECONDS} to ` +
        `${MAX_END_TO_END_DELAY_SECONDS}, got ${delay}`,
    );
  }
  return problems;
}

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/**
 * The problem with a Paubox API base URL, or undefined: https, or (locally) http on a loopback address, with no
 * credentials, query or fragment. Names the host at most.
 */
export function apiBaseUrlProblem(value: string, allowLoopbackHttp: boolean): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'is not a URL; expected one such as https://api.paubox.net/v1/<your API username>';
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && allowLoopbackHttp && loopback)) {
    return allowLoopbackHttp
      ? `must use https (http only on a loopback address), got ${url.protocol}//${url.hostname}`
      : `must use https, got ${url.protocol}//${url.hostname}`;
  }
  if (url.username || url.password || url.search || url.hash) {
    return 'must not hold a user, password, query or fragment: the API key goes in its own secret';
  }
  return undefined;
}

/** Resolves the `paubox` block; `enrich` needs a base URL. */
export function pauboxOf(
  raw: { apiBaseUrl?: string; enrich?: boolean },
  mode: ConfigMode,
  problems: string[],
): PauboxApiConfig {
  const enrich = raw.enrich ?? false;
  if (raw.apiBaseUrl !== undefined) {
    const problem = apiBaseUrlProblem(raw.apiBaseUrl, mode === 'local');
    if (problem) problems.push(`paubox.apiBaseUrl ${problem}`);
  } else if (enrich && mode === 'deploy') {
    problems.push(
      'paubox.apiBaseUrl: required when paubox.enrich is true; give your Email API base URL, such as ' +
        'https://api.paubox.net/v1/<your API username>',
    );
  }
  return { enrich, ...(raw.apiBaseUrl !== undefined ? { apiBaseUrl: raw.apiBaseUrl } : {}) };
}

/** Resolves the `display` block. */
export function displayOf(raw: { timeZone?: string }, problems: string[]): DisplayConfig {
  const timeZone = raw.timeZone ?? DEFAULT_TIME_ZONE;
  if (!isTimeZone(timeZone)) {
    problems.push(`display.timeZone: "${timeZone}" is not a time zone; use an IANA name such as America/New_York`);
  }
  return { timeZone };
}
