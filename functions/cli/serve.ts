import { resolve } from 'node:path';
import { startLocalRelay } from '../local/relay-server';
import { DEFAULT_PORT, localSettings } from '../local/settings';
import { textLogger } from '../observability/logger';
import { eventTypesOf } from '../routing/filter-policy';
import type { Command } from './command';

/** `serve`: the local relay, until Ctrl-C. */
export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the relay on this machine (same ingest, routing and senders as in AWS)',
  usage: '[--port <n>] [--host <address>] [--config <path>]',
  details:
    `  --port     port on the host (default $PORT or ${DEFAULT_PORT}; 0 picks a free one)\n` +
    '  --host     address to listen on (default $HOST or 127.0.0.1)\n' +
    '  --config   relay configuration (default $RELAY_CONFIG, else ./relay.config.json if present, else built in)\n' +
    'Also reads RELAY_TOKEN, RELAY_SIGNING_SECRET, RELAY_FINGERPRINT_KEY, RELAY_DATA_DIR, PAUBOX_API_KEY and\n' +
    'PAUBOX_API_BASE_URL (see the README). Stops on Ctrl-C.',
  options: { port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values, io) {
    const env = {
      ...io.env,
      ...(typeof values.port === 'string' ? { PORT: values.port } : {}),
      ...(typeof values.host === 'string' ? { HOST: values.host } : {}),
      ...(typeof values.config === 'string' ? { RELAY_CONFIG: resolve(io.cwd, values.config) } : {}),
    };
    const settings = localSettings(env, io.cwd);
    const relay = await startLocalRelay({ ...settings, logger: textLogger(io.err), write: io.out });
    const lines = [
      `Paubox alert relay (local) listening on ${relay.baseUrl}`,
      `Webhook URL: ${relay.webhookUrl}`,
      ...(relay.inspectorUrl !== undefined ? [`Inspector: ${relay.inspectorUrl}`] : []),
      `Config: ${settings.configSource}`,
      'Destinations:',
      ...relay.destinations.map((d) => {
        const events = eventTypesOf(d.policy).join(', ');
        const window = d.digest.windowSeconds > 0 ? `, digests every ${d.digest.windowSeconds} s` : '';
        return `  ${d.name} (${d.sender.kind}, detail ${d.detail}${window}) <- ${events}`;
      }),
      settings.paubox
        ? `Paubox delivery status: looked up at ${new URL(settings.paubox.apiBaseUrl).host}`
        : 'Paubox delivery status: not looked up (set PAUBOX_API_KEY and PAUBOX_API_BASE_URL to show it)',
      `Try: npx paubox-relay send-sample permanent_failure${settings.port === DEFAULT_PORT ? '' : ` --url ${relay.webhookUrl}`}`,
    ];
    io.out(`${lines.join('\n')}\n`);
    await io.stopSignal();
    await relay.close();
    return 0;
  },
};
