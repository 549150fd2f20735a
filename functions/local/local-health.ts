import type { RelayConfig } from '../config/relay-config';
import { DEFAULT_HEALTH_CONFIG } from '../config/defaults';
import type { RecordOutcome } from '../delivery/notify-batch';
import { HealthMonitor } from '../health/health-monitor';
import type { Logger } from '../observability/logger';
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
