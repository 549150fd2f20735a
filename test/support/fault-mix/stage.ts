import { checkDestinationUrl } from '../../../functions/chat';
import { parseRelayConfig } from '../../../functions/config';
import type { FileDeadLetterStore } from '../../../functions/delivery';
import type { NotifierMetric } from '../../../functions/delivery';
import { startLocalRelay, type LocalRelay } from '../../../functions/local';
import { silentLogger, type Logger } from '../../../functions/observability';
import { startFaultChatServer, type Fault, type FaultChatServer, type Platform } from '../fault-chat-server';
import type { FaultMixSettings } from './scenarios';

/* The stage a fault mix plays on: a fault server per platform and the local relay routing failures to both. */

export const DESTINATIONS: readonly { name: string; platform: Platform }[] = [
  { name: 'ops-slack', platform: 'slack' },
  { name: 'ops-teams', platform: 'teams' },
];

const METRIC_NAMES: readonly NotifierMetric[] = [
  'AlertsPosted',
  'AlertsUnconfirmed',
  'Duplicates',
  'DeadLetters',
  'DestinationBroken',
  'Retries',
  'RateLimited',
  'DigestsPosted',
  'DigestEvents',
];

export interface StageOptions {
  readonly seed: number;
  readonly settings: FaultMixSettings;
  readonly dataDir: string;
  readonly deadLetters: FileDeadLetterStore;
  /** The fault a platform answers to the attempt-th request for an event. */
  readonly fault: (platform: Platform, key: string, attempt: number) => Fault;
  /** The full event key for the shortened one an alert shows. */
  readonly resolveKey: (shown: string) => string | undefined;
  /** Where a discrepancy noticed while the mix runs is written down. */
  readonly problems: string[];
  readonly logger?: Logger;
}

export interface Stage {
  readonly servers: ReadonlyMap<Platform, FaultChatServer>;
  readonly relay: LocalRelay;
  /** The relay's metrics, counted per destination. */
  readonly metrics: ReadonlyMap<string, Record<NotifierMetric, number>>;
  close(): Promise<void>;
}

/**
 * Starts the servers, then the relay; whatever started is closed by the returned stage's `close`, also when
 * starting fails halfway (then the error is thrown after closing).
 */
export async function startStage(options: StageOptions): Promise<Stage> {
  const { settings, problems } = options;
  const servers = new Map<Platform, FaultChatServer>();
  const metrics = new Map<string, Record<NotifierMetric, number>>(
    DESTINATIONS.map((d) => [
      d.name,
      Object.fromEntries(METRIC_NAMES.map((m) => [m, 0])) as Record<NotifierMetric, number>,
    ]),
  );
  let relay: LocalRelay | undefined;
  const close = async (): Promise<void> => {
    // Stopped, not closed: after a run that gave up, close would wait for every retry still due.
    await relay?.stop(0).catch(() => undefined);
    await Promise.all([...servers.values()].map((s) => s.close()));
  };
  try {
    for (const { platform } of DESTINATIONS) {
      servers.set(
        platform,
        await startFaultChatServer({
          platform,
          slowReplyMs: settings.slowReplyMs,
          resolveKey: options.resolveKey,
          plan: (key, attempt) => options.fault(platform, key, attempt),
        }),
      );
    }
    const config = parseRelayConfig(
      {
        // One event per post (the fault servers key each request by its one event) and no pacing: this mix is
        // about faults, not throughput; digests and rate limits have their own suites.
        destinations: DESTINATIONS.map((d) => ({
          name: d.name,
          kind: d.platform,
          url: servers.get(d.platform)!.url,
          digest: { batchSize: 1 },
          rateLimit: { messagesPerSecond: 1000 },
        })),
        routes: [{ events: ['permanent_failure', 'temporary_failure'], to: DESTINATIONS.map((d) => d.name) }],
      },
      'local',
      checkDestinationUrl,
    );
    const started = await startLocalRelay({
      config,
      token: `fault-mix-${options.seed}`,
      fingerprintKey: 'fault-mix-fingerprint-key',
      logger: options.logger ?? silentLogger,
      port: 0,
      dataDir: options.dataDir,
      deadLetters: options.deadLetters,
      retryPolicy: settings.retryPolicy,
      maxReceiveCount: settings.maxReceiveCount,
      redeliveryDelayMs: settings.redeliveryDelayMs,
      invocationBudgetMs: settings.invocationBudgetMs,
      sendTimeoutMs: settings.sendTimeoutMs,
      // The account is of alerts: relay health notices, which dead letters raise, are tested in relay-health.test.ts.
      healthNotices: false,
      metric: (destination, name, value) => {
        const counters = metrics.get(destination);
        if (counters) counters[name] += value;
        else problems.push(`metric ${name} reported for unknown destination ${destination}`);
      },
    });
    relay = started;
    return { servers, relay: started, metrics, close };
  } catch (error) {
    await close();
    throw error;
  }
}
