import { DestinationUrlError } from '../config';
import type { ChatKind } from './kinds';
import type { HostList, ChatPlatform } from './platform';
import { PLATFORM_LIST } from './platforms';

/** Host matching is by whole label suffix, never by substring: `hooks.slack.com.evil.test` is not Slack. */
function hostIn(host: string, list: HostList): boolean {
  const underSuffix = (suffix: string) => host.endsWith(suffix) && host.length > suffix.length;
  return list.hosts.includes(host) || list.hostSuffixes.some(underSuffix);
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '[::1]' || /^127(\.\d{1,3}){3}$/.test(host);
}

/** The platform a webhook host belongs to, or undefined when it is none of them. */
export function kindOfHost(host: string): ChatKind | undefined {
  const h = host.toLowerCase();
  return PLATFORM_LIST.find((platform) => hostIn(h, platform))?.kind;
}

/** "Slack (hooks.slack.com)": a platform and the hosts its URLs may have. */
function withHosts(platform: ChatPlatform): string {
  return `${platform.label} (${[...platform.hostSuffixes.map((s) => `*${s}`), ...platform.hosts].join(', ')})`;
}

export interface UrlCheckOptions {
  /** The kind the configuration names, if any; the URL must then belong to it. */
  readonly kind?: ChatKind;
  /** Local mode accepts `http://` on loopback hosts (for fake servers in tests); deployed stacks never do. */
  readonly allowLoopbackHttp: boolean;
}

/**
 * Checks a chat webhook URL and tells which platform it belongs to, by the host lists of chat/platforms.ts.
 * Messages name the host at most, never the path or query, which hold the credential.
 *
 * @throws DestinationUrlError saying what is wrong and what to use instead
 */
export function checkDestinationUrl(raw: string, options: UrlCheckOptions): ChatKind {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    const labels = PLATFORM_LIST.map((platform) => platform.label).join(' or ');
    throw new DestinationUrlError(`is not a URL; expected the https webhook URL that ${labels} gave you`);
  }
  const host = url.hostname.toLowerCase();
  for (const { retired } of PLATFORM_LIST) {
    if (retired && hostIn(host, retired)) {
      throw new DestinationUrlError(`points at a retired ${retired.name} (${host}). ${retired.advice}`);
    }
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
    const known = PLATFORM_LIST.map(withHosts).join(' nor ');
    throw new DestinationUrlError(`has host ${host}, which is neither ${known}`);
  }
  if (options.kind && options.kind !== detected) {
    throw new DestinationUrlError(`is a ${detected} URL but the destination's kind is ${options.kind}`);
  }
  return detected;
}
