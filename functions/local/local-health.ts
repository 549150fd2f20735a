import { safeCode } from '../alerts';
import type { RelayConfig } from '../config';
import { FileQuarantine } from '../ingest';
import type { Quarantine } from '../ingest';
import { DEFAULT_HEALTH_CONFIG } from '../config';
import type { RecordOutcome } from '../delivery';
import { HealthMonitor } from '../health';
import { probeLocalDestination, type ProbeResult } from '../health';
import type { Logger } from '../observability';
import { checkedByHeartbeat } from '../chat';
import type { LocalDestination, LocalFanout } from './fanout';

/** The local relay's health: notices raised from its own outcomes, queued to the destinations like alerts. */
export function localHealthMonitor(
  config: RelayConfig,
  destinations: readonly LocalDestination[],
  fanout: () => LocalFanout,
  logger: Logger,
  settleMs?: number,
): HealthMonitor {
  const health = config.health ?? DEFAULT_HEALTH_CONFIG;
  return new HealthMonitor({
    destinations: destinations.map((d) => d.name),
    ...(health.to !== undefined ? { to: health.to } : {}),
    reminderMs: health.reminderHours * 3_600_000,
    ...(settleMs !== undefined ? { settleMs } : {}),
    post: (notice, targets) => fanout().postNotice(notice, targets),
    logger,
  });
}

/** What a record's outcome tells about its destination: a dead letter is a problem, a post proves it works. */
export function watchOutcome(
  monitor: HealthMonitor,
  destination: string,
  outcome: Pick<RecordOutcome, 'result' | 'reason'>,
): void {
  if (outcome.result === 'dead_lettered') monitor.problem('destination', destination, outcome.reason ?? 'unknown');
  else if (outcome.result === 'posted') monitor.recovered('destination', destination);
}

/**
 * Probes every destination now and every `health.probeMinutes`: a broken one raises its notice before a real
 * alert is lost to it; with `health.heartbeat`, each round posts a visible heartbeat to Teams. Resolves the first round; the returned function stops the timer.
 */
export async function startProbing(
  config: RelayConfig,
  monitor: HealthMonitor,
  logger: Logger,
  env: Readonly<Record<string, string | undefined>> = {},
  /** Told of each destination found working: one known broken is tried again. */
  onWorking: (destination: string) => void = () => undefined,
): Promise<() => void> {
  const { probeMinutes: minutes, heartbeat } = config.health ?? DEFAULT_HEALTH_CONFIG;
  const round = async (first: boolean): Promise<void> => {
    await Promise.all(
      config.destinations.map(async (d) => {
        const result = await probeLocalDestination(d, env);
        if (result.status === 'broken') monitor.problem('destination', d.name, result.reason, 0);
        else if (result.status === 'ok') {
          monitor.recovered('destination', d.name);
          onWorking(d.name);
        }
        // Teams cannot be checked silently: the opt-in heartbeat is a visible post to it.
        if (heartbeat && checkedByHeartbeat(d.kind) && d.url !== undefined) monitor.heartbeat(d.name);
        const message = probeLogMessage(result, first);
        if (message)
          logger.log(result.status === 'broken' ? 'error' : 'info', message, {
            destination: d.name,
            reason: result.reason,
          });
      }),
    );
  };
  await round(true);
  const timer = setInterval(() => void round(false), minutes * 60_000);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * What a probe's verdict is worth a line in the terminal: a broken or doubtful destination, and once, at start, a
 * destination whose platform cannot be checked silently. A URL-less one has the start-up warning about previews already; a working one
 * needs no line.
 */
function probeLogMessage(result: ProbeResult, first: boolean): string | undefined {
  switch (result.status) {
    case 'broken':
      return 'destination probe: broken';
    case 'unknown':
      return 'destination probe: its answer does not tell whether it works';
    case 'unchecked':
      return first && result.reason !== 'no_url'
        ? 'destination probe: not checked, its platform cannot be without posting (health.heartbeat makes a visible check)'
        : undefined;
    case 'ok':
      return undefined;
  }
}

/** Keeps unreadable webhooks in the local quarantine, each raising the quarantine's health notice. */
export function localQuarantine(dataDir: string, monitor: HealthMonitor): Quarantine {
  const quarantine = new FileQuarantine(dataDir);
  return {
    async keep(webhook, reason) {
      const id = await quarantine.keep(webhook, reason);
      monitor.problem('quarantine', 'quarantine', safeCode(reason.split(':')[0]!));
      return id;
    },
    list: (max) => quarantine.list(max),
  };
}
