/** `npm start`: the relay on this machine, with the same ingest, routing and senders as in AWS. */
import { ConfigError } from '../functions/commons/errors';
import { textLogger } from '../functions/commons/logger';
import { filterClauses } from '../functions/commons/routing';
import { localSettings } from '../functions/local/local-settings';
import { startLocalRelay } from '../functions/local/relay-server';

async function main(): Promise<void> {
  const settings = localSettings();
  const relay = await startLocalRelay({ ...settings, logger: textLogger() });

  const lines = [
    `Paubox alert relay (local) listening on ${relay.baseUrl}`,
    `Webhook URL: ${relay.webhookUrl}`,
    `Config: ${settings.configSource}`,
    'Destinations:',
    ...relay.destinations.map((d) => {
      const events = [...new Set(filterClauses(d.policy).flatMap((c) => c.event_type))].join(', ');
      const window = d.digest.windowSeconds > 0 ? `, digests every ${d.digest.windowSeconds} s` : '';
      return `  ${d.name} (${d.sender.kind}, detail ${d.detail}${window}) <- ${events}`;
    }),
    `Try: npm run send-sample -- permanent_failure${settings.port === 3000 ? '' : ` --url ${relay.webhookUrl}`}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);

  const stop = (): void => {
    void relay.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  process.stderr.write(
    `${error instanceof ConfigError || error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
