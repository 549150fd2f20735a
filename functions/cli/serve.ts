import { resolve } from 'node:path';
import { OpsError } from '../aws';
import { isPreview } from '../chat';
import { startLocalRelay, DEFAULT_PORT, localSettings } from '../local';
import { textLogger } from '../observability';
import { eventTypesOf } from '../routing';
import { ratesLine } from '../sending';
import { wholeNumber, type Command } from './command';

const plural = (n: number): string => `${n} alert${n === 1 ? '' : 's'}`;

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
    'PAUBOX_API_BASE_URL (see the README). Stops on Ctrl-C within about 2 s; accepted alerts not yet sent are kept\n' +
    'in $RELAY_DATA_DIR/journal.jsonl and go out at the next start.',
  options: { port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values, io) {
    // Checked here so that a bad flag is blamed on the flag, not on the PORT variable it overrides.
    const port = values.port === undefined ? undefined : wholeNumber(values, 'port', DEFAULT_PORT, 0, 65535);
    const env = {
      ...io.env,
      ...(port !== undefined ? { PORT: String(port) } : {}),
      ...(typeof values.host === 'string' ? { HOST: values.host } : {}),
      ...(typeof values.config === 'string' ? { RELAY_CONFIG: resolve(io.cwd, values.config) } : {}),
    };
    const settings = localSettings(env, io.cwd);
    const logger = textLogger(io.err);
    const relay = await startLocalRelay({ ...settings, logger, write: io.out, probeDestinations: true }).catch(
      (error: unknown) => {
        throw listenError(error, settings.host, settings.port, port !== undefined);
      },
    );
    const previews = settings.config.destinations.filter(isPreview).map((d) => d.name);
    const lines = [
      `Paubox alert relay (local) listening on ${relay.baseUrl}`,
      `Webhook URL: ${relay.webhookUrl}`,
      ...(relay.inspectorUrl !== undefined ? [`Inspector: ${relay.inspectorUrl}`] : []),
      `Config: ${settings.configSource}`,
      'Destinations:',
      ...relay.destinations.map((d) => {
        const events = eventTypesOf(d.policy).join(', ');
        const window = d.digest.windowSeconds > 0 ? `, digests every ${d.digest.windowSeconds} s` : '';
        const app = settings.config.destinations.some((c) => c.name === d.name && c.channel !== undefined);
        const kind = previews.includes(d.name) ? 'preview on this console' : app ? 'slack app' : d.sender.kind;
        return `  ${d.name} (${kind}, detail ${d.detail}${window}) <- ${events}`;
      }),
      settings.paubox
        ? `Paubox delivery status: looked up at ${new URL(settings.paubox.apiBaseUrl).host}`
        : 'Paubox delivery status: not looked up (set PAUBOX_API_KEY and PAUBOX_API_BASE_URL to show it)',
      ratesLine(settings.config),
      `Try: npx paubox-relay send-sample permanent_failure${settings.port === DEFAULT_PORT ? '' : ` --url ${relay.webhookUrl}`}`,
    ];
    io.out(`${lines.join('\n')}\n`);
    if (previews.length > 0) {
      logger.log(
        'warn',
        `no "url" for ${previews.join(', ')}: their alerts are previewed on this console, not posted; ` +
          'give each a "url" in the config to post them (npx paubox-relay init --help shows how)',
      );
    }
    const waiting = relay.pendingAlerts();
    if (waiting > 0) io.out(`${plural(waiting)} from the last run pending; sending them now.\n`);
    await io.stopSignal();
    // Stops within about STOP_GRACE_MS: what is not posted yet waits in the journal, not in this process.
    const pending = await relay.stop();
    io.out(
      pending > 0
        ? `Stopped. ${plural(pending)} pending in ${settings.dataDir}; they go out at the next start.\n`
        : 'Stopped. No alert pending.\n',
    );
    return 0;
  },
};

/** A port that cannot be listened on, said with the way out. */
function listenError(error: unknown, host: string, port: number, fromFlag: boolean): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  const other = port > 0 && port < 65535 ? port + 1 : DEFAULT_PORT + 1;
  const choose = `choose another: npm start -- --port ${other}, or PORT=${other} npm start (port 0 picks a free one)`;
  const given = fromFlag ? `--port ${port}` : `port ${port}`;
  if (code === 'EADDRINUSE') return new OpsError(`${given} on ${host} is in use (another relay?); ${choose}`);
  if (code === 'EACCES') return new OpsError(`${given} on ${host} needs privileges; ${choose}`);
  if (code === 'EADDRNOTAVAIL') return new OpsError(`${host} is not an address of this machine; check --host or HOST`);
  return error;
}
