import { existsSync, writeFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { OpsError } from '../aws';
import { CHAT_KINDS, checkDestinationUrl, PLATFORMS, type ChatKind } from '../chat';
import { DestinationUrlError, parseRelayConfig } from '../config';
import type { Command } from './command';

const FAILURES = ['permanent_failure', 'temporary_failure'];

/** One `--<kind>-url` option per chat platform. */
const urlFlag = (kind: ChatKind) => `${kind}-url`;
const URL_FLAGS = CHAT_KINDS.map(urlFlag);

/** A starter configuration: failures to each chat URL given, or to the console when none is. */
export function starterConfig(urls: Partial<Record<ChatKind, string>>): Record<string, unknown> {
  const chats = (Object.entries(urls) as [ChatKind, string][]).map(([kind, url]) => ({ name: kind, kind, url }));
  const destinations = chats.length > 0 ? chats : [{ name: 'terminal', kind: 'console' }];
  return { destinations, routes: [{ events: FAILURES, to: destinations.map((d) => d.name) }] };
}

/** `init`: writes a relay.config.json that `npm start` runs as it is. */
export const initCommand: Command = {
  name: 'init',
  summary: 'write a starter relay.config.json for the local relay',
  usage: `${URL_FLAGS.map((flag) => `[--${flag} <url>]`).join(' ')} [--force]`,
  details:
    CHAT_KINDS.map(
      (kind) => `  --${urlFlag(kind).padEnd(12)}a ${PLATFORMS[kind].webhookName} URL: failures are posted there\n`,
    ).join('') +
    '  --force       replace an existing relay.config.json\n' +
    'Without a URL, failures are printed on the console. The file holds the URLs: it is git-ignored and readable ' +
    'by you only.',
  options: {
    ...Object.fromEntries(URL_FLAGS.map((flag) => [flag, { type: 'string' }] as const)),
    force: { type: 'boolean' },
  },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values, io) {
    const file = resolve(io.cwd, 'relay.config.json');
    const shown = relative(io.cwd, file);
    if (existsSync(file) && values.force !== true) {
      throw new OpsError(`${shown} already exists; keep it, or replace it: npx paubox-relay init --force`);
    }
    const urls: Partial<Record<ChatKind, string>> = {};
    for (const kind of CHAT_KINDS) {
      const url = values[urlFlag(kind)];
      if (typeof url !== 'string') continue;
      try {
        checkDestinationUrl(url, { kind, allowLoopbackHttp: true });
      } catch (error) {
        if (error instanceof DestinationUrlError) throw new OpsError(`--${kind}-url ${error.message}; nothing written`);
        throw error;
      }
      urls[kind] = url.trim();
    }
    const config = starterConfig(urls);
    // The same check `npm start` makes, so what is written always starts.
    const parsed = parseRelayConfig(config, 'local', checkDestinationUrl);
    writeFileSync(file, `${JSON.stringify(config, null, 2)}\n`, { mode: 0o600 });
    const lines = [
      `Wrote ${shown}:`,
      ...parsed.destinations.map((d) =>
        d.kind === 'console'
          ? `  ${d.name}: failures printed on the console (add ${URL_FLAGS.map((flag) => `--${flag}`).join(' or ')} to post them)`
          : `  ${d.name}: failures posted to ${PLATFORMS[d.kind as ChatKind].label} (${new URL(d.url!).host})`,
      ),
      'Start the relay: npm start',
      'Then, in another terminal: npx paubox-relay send-sample permanent_failure',
    ];
    io.out(`${lines.join('\n')}\n`);
    return 0;
  },
};
