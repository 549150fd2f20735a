import type { HealthConfig, IngestConfig, RelayConfig } from './relay-config';
import { DEFAULT_ADVICE_CONFIG, DEFAULT_RATES_CONFIG } from './sending-config';

/** Batching window of deployed destinations when the configuration gives none; the local relay's is 0. */
export const DEFAULT_DEPLOY_WINDOW_SECONDS = 10;
export const DEFAULT_MIN_GROUP_SIZE = 2;
export const DEFAULT_END_TO_END_DELAY_SECONDS = 300;

const FAILURES = ['permanent_failure', 'temporary_failure'] as const;

export const DEFAULT_INGEST_CONFIG: IngestConfig = { verifySignatures: false, tokenOverlapHours: 72 };

/** Notices to every other destination; probes hourly; a reminder at most every 4 hours; no visible heartbeat. */
export const DEFAULT_HEALTH_CONFIG: HealthConfig = { probeMinutes: 60, reminderHours: 4, heartbeat: false };

/** The local relay's configuration when there is no file: failures to the console. */
export const DEFAULT_LOCAL_CONFIG: RelayConfig = {
  destinations: [
    {
      name: 'console',
      kind: 'console',
      detail: 'minimal',
      // No SQS locally: a run takes every pending event.
      digest: { windowSeconds: 0, batchSize: 10_000, minGroupSize: 2 },
    },
  ],
  routes: [{ events: [...FAILURES], to: ['console'] }],
  ingest: DEFAULT_INGEST_CONFIG,
  health: DEFAULT_HEALTH_CONFIG,
  rates: DEFAULT_RATES_CONFIG,
  advice: DEFAULT_ADVICE_CONFIG,
};

/** What the stack deploys when there is no file: failures to one destination, `alerts`, whose URL is stored later. */
export const DEFAULT_DEPLOY_CONFIG: RelayConfig = {
  destinations: [
    { name: 'alerts', detail: 'minimal', digest: { windowSeconds: 10, batchSize: 10_000, minGroupSize: 2 } },
  ],
  routes: [{ events: [...FAILURES], to: ['alerts'] }],
  ingest: DEFAULT_INGEST_CONFIG,
  health: DEFAULT_HEALTH_CONFIG,
  rates: DEFAULT_RATES_CONFIG,
  advice: DEFAULT_ADVICE_CONFIG,
};
