import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { loadRelayConfigFile, unroutedDestinations, type RelayConfig, ConfigError } from '../../config';
import { checkDestinationUrl, kindLabel } from '../../chat';
import type { ConfigReport } from './api-types';

/** The host of a webhook URL: enough to tell destinations apart; the rest of the URL is a credential. */
export function hostOf(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
}

/**
 * The loaded configuration without its URLs, with what is wrong with it short of stopping the relay, and with
 * the problems of its file as it is now on disk (edited since start-up; a restart applies it).
 */
export function configReport(config: RelayConfig, source: string | undefined): ConfigReport {
  const problems = unroutedDestinations(config).map(
    (name) => `destination "${name}": no route names it, so it receives nothing; add it to a route's "to" or remove it`,
  );
  if (source !== undefined && isAbsolute(source) && existsSync(source)) {
    try {
      loadRelayConfigFile(source, 'local', checkDestinationUrl);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      problems.push(...error.problems.map((p) => `on disk now (not loaded; fix it, then restart): ${p}`));
    }
  }
  return {
    source: source ?? 'given by the program that started the relay',
    destinations: config.destinations.map((d) => ({
      name: d.name,
      ...(d.kind !== undefined ? { kind: d.kind } : {}),
      platform: d.channel !== undefined ? `slack app (channel ${d.channel})` : kindLabel(d.kind),
      detail: d.detail,
      ...(hostOf(d.url) !== undefined ? { host: hostOf(d.url) } : {}),
      digestWindowSeconds: d.digest.windowSeconds,
      ...(d.messagesPerSecond !== undefined ? { messagesPerSecond: d.messagesPerSecond } : {}),
    })),
    routes: config.routes.map((r) => ({
      events: [...r.events],
      ...(r.senderDomains !== undefined ? { senderDomains: [...r.senderDomains] } : {}),
      to: [...r.to],
    })),
    problems,
    verifySignatures: config.ingest?.verifySignatures === true,
  };
}
