/**
 * The local relay in a process of its own (forked with an IPC channel), so that its memory is measured alone.
 * RELAY_PROBE holds `{ config, token, dataDir }`. Sends `{ url }` once listening; answers `'report'` with its
 * memory after a full GC, then exits.
 */
import { parseRelayConfig } from '../../functions/config';
import { checkDestinationUrl } from '../../functions/chat';
import { silentLogger } from '../../functions/observability';
import { startLocalRelay } from '../../functions/local';
import { peakRssBytes } from './protocol';

export interface RelayProbeReport {
  readonly maxRssBytes: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

async function main(): Promise<void> {
  const { config, token, dataDir } = JSON.parse(process.env.RELAY_PROBE ?? '{}') as {
    config: unknown;
    token: string;
    dataDir: string;
  };
  const relay = await startLocalRelay({
    config: parseRelayConfig(config, 'local', checkDestinationUrl),
    token,
    fingerprintKey: 'bench-fingerprint-key',
    logger: silentLogger,
    port: 0,
    dataDir,
  });
  process.on('message', (message) => {
    if (message !== 'report') return;
    void relay.idle().then(async () => {
      (globalThis as { gc?: () => void }).gc?.();
      const usage = process.memoryUsage();
      const report: RelayProbeReport = {
        maxRssBytes: peakRssBytes(),
        rssBytes: usage.rss,
        heapUsedBytes: usage.heapUsed,
      };
      process.send?.(report, () => {
        void relay.close().then(() => process.exit(0));
      });
    });
  });
  process.send?.({ url: relay.webhookUrl });
}

main().catch((error: unknown) => {
  process.stderr.write(`relay probe failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
