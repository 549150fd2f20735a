import { DestinationUrlError } from '../config/errors';

export type ChatKind = 'slack' | 'teams';

const SLACK_HOSTS = ['hooks.slack.com'];
const TEAMS_HOST_SUFFIXES = ['.logic.azure.com', '.environment.api.powerplatform.com', '.powerautomate.com'];
const TEAMS_HOSTS = ['flow.microsoft.com'];
const RETIRED_CONNECTOR_SUFFIXES = ['.webhook.office.com'];
const RETIRED_CONNECTOR_HOSTS = ['outlook.office.com'];

const WORKFLOWS_HOWTO =
  'Office 365 connectors (incoming webhooks) are retired by Microsoft. In Teams, open the channel\'s "Workflows", ' +
  'choose the template "Send webhook alerts to a channel" (trigger "When a Teams webhook request is received"), ' +
  'and use the URL that flow shows.';

/** Host matching is by whole label suffix, never by substring: `hooks.slack.com.evil.test` is not Slack. */
function hostIs(host: string, exact: readonly string[], suffixes: readonly string[] = []): boolean {
  return exact.includes(host) || suffixes.some((suffix) => host.endsWith(suffix) && host.length > suffix.length);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The platform a webhook host belongs to, or undefined when it is neither Slack nor Teams. */
export function kindOfHost(host: string): ChatKind | undefined {
  const h = host.toLowerCase();
  if (hostIs(h, SLACK_HOSTS)) return 'slack';
  if (hostIs(h, TEAMS_HOSTS, TEAMS_HOST_SUFFIXES)) return 'teams';
  return undefined;
}

export interface UrlCheckOptions {
  /** The kind the configuration names, if any; the URL must then belong to it. */
  readonly kind?: ChatKind;
  /** Local mode accepts `http://` on loopback hosts (for fake servers in tests); deployed stacks never do. */
  readonly allowLoopbackHttp: boolean;
}

/**
 * Checks a chat webhook URL and tells which platform it belongs to. Messages name the host at most,
 * never the path or query, which hold the credential.
 *
 * @throws DestinationUrlError saying what is wrong and what to use instead
 */
export function checkDestinationUrl(raw: string, options: UrlCheckOptions): ChatKind {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new DestinationUrlError('is not a URL; expected the https webhook URL that Slack or Teams Workflows gave you');
  }
  const host = url.hostname.toLowerCase();
  if (hostIs(host, RETIRED_CONNECTOR_HOSTS, RETIRED_CONNECTOR_SUFFIXES)) {
    throw new DestinationUrlError(`points at a retired Office 365 connector (${host}). ${WORKFLOWS_HOWTO}`);
  }
  if (url.username || url.password) {
    throw new DestinationUrlError('must not carry a user name or password');
  }
  if (url.protocol === 'http:' && options.allowLoopbackHttp && isLoopbackHost(host)) {
    if (!options.kind) {
      throw new DestinationUrlError(`is on a loopback host (${host}), so its platform cannot be detected: set "kind"`);
    }
    return options.kind;
  }
  if (url.protocol !== 'https:') {
    throw new DestinationUrlError(
      options.allowLoopbackHttp
        ? 'must use https (plain http is accepted only for 127.0.0.1, ::1 and localhost)'
        : 'must use https',
    );
  }
  const detected = kindOfHost(host);
  if (!detected) {
    throw new DestinationUrlError(
      `has host ${host}, which is neither Slack (hooks.slack.com) nor Teams Workflows ` +
        '(*.logic.azure.com, *.environment.api.powerplatform.com, *.powerautomate.com, flow.microsoft.com)',
    );
  }
  if (options.kind && options.kind !== detected) {
    throw new DestinationUrlError(`is a ${detected} URL but the destination's kind is ${options.kind}`);
  }
  return detected;
}
