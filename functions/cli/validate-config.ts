import { ratesLine } from '../sending';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { isPreview, checkDestinationUrl } from '../chat';
import {
  DEFAULT_DEPLOY_CONFIG,
  DEFAULT_END_TO_END_DELAY_SECONDS,
  DEFAULT_LOCAL_CONFIG,
  loadRelayConfigFile,
  unroutedDestinations,
  type ConfigMode,
} from '../config';
import { eventTypesOf, filterPolicyFor } from '../routing';
import type { Command } from './command';

/** `validate-config`: every problem of a configuration file, or what it deploys. */
export const validateConfigCommand: Command = {
  name: 'validate-config',
  summary: 'check a relay configuration and show what it deploys',
  usage: '[path | --config <path>] [--local]',
  details:
    '  path      the configuration file (default ./relay.config.json; without one, the built-in default)\n' +
    '  --config  the same, as `serve` and `check-destinations` take it\n' +
    '  --local   check it for the local relay (inline "url"s checked) instead of for deploying (URLs refused)\n' +
    'Lists every problem at once, with the path of the field and what to change; exits 1 if there is one.',
  options: { local: { type: 'boolean' }, config: { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run([positional], values, io) {
    const path = positional ?? (typeof values.config === 'string' ? values.config : undefined);
    const file = resolve(io.cwd, path ?? 'relay.config.json');
    const mode: ConfigMode = values.local === true ? 'local' : 'deploy';
    const builtIn = path === undefined && !existsSync(file);
    // Without a file, `cdk deploy` and `npm start` use a built-in default, which is valid: describe it.
    const config = builtIn
      ? mode === 'local'
        ? DEFAULT_LOCAL_CONFIG
        : DEFAULT_DEPLOY_CONFIG
      : loadRelayConfigFile(file, mode, checkDestinationUrl);
    const unrouted = new Set(unroutedDestinations(config));
    const target = mode === 'local' ? 'the local relay' : 'deploying';
    const lines = [
      builtIn
        ? `No relay.config.json in ${io.cwd}: ${target} uses the built-in default (write one: npx paubox-relay init).`
        : `${file} is valid for ${target}.`,
      'Destinations:',
    ];
    for (const d of config.destinations) {
      const policy = filterPolicyFor(d.name, config.routes);
      const events = policy ? eventTypesOf(policy).join(', ') : '';
      const note =
        d.kind === 'console' && mode === 'deploy'
          ? ' (console: local relay only, not deployed)'
          : unrouted.has(d.name)
            ? ' (no route names it: not deployed; add it to a route\'s "to" or remove it)'
            : ` <- ${events}${d.channel !== undefined ? ' (and delivered, opened as follow-ups in their threads)' : ''}`;
      const kind =
        mode === 'local' && isPreview(d)
          ? `${d.kind ?? 'chat'} without a url, previewed on the console`
          : d.channel !== undefined
            ? `slack app in channel ${d.channel}${mode === 'deploy' ? ' (bot token: set-destination --bot-token -)' : ''}`
            : (d.kind ?? 'slack or teams, from the stored URL');
      lines.push(`  ${d.name}: ${kind}, detail ${d.detail}${note}`);
    }
    const deployed = config.destinations.filter((d) => d.kind !== 'console' && !unrouted.has(d.name));
    if (mode === 'deploy' && deployed.length === 0) {
      lines.push(
        'Deployed, it would post nowhere: add a slack or teams destination (no "url": its URL goes in a secret) and route events to it.',
      );
    }
    const alarms = config.alarms ?? {};
    const targets = [
      ...(alarms.email !== undefined ? [`e-mail ${alarms.email}`] : []),
      ...(alarms.topicArn !== undefined ? [`topic ${alarms.topicArn}`] : []),
    ];
    lines.push(
      `Alarms: ${targets.length > 0 ? `notify ${targets.join(' and ')}` : 'no actions (add "alarms": {"email": ...} to be told)'}; ` +
        `end-to-end delay alarm above ${alarms.endToEndDelaySeconds ?? DEFAULT_END_TO_END_DELAY_SECONDS} s`,
      ratesLine(config),
    );
    io.out(`${lines.join('\n')}\n`);
    return 0;
  },
};
