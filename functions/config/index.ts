/** The relay configuration (types, defaults, limits, parser, loader): the face of config/ for other concerns. */
export {
  DEFAULT_DEPLOY_CONFIG,
  DEFAULT_END_TO_END_DELAY_SECONDS,
  DEFAULT_HEALTH_CONFIG,
  DEFAULT_INGEST_CONFIG,
  DEFAULT_LOCAL_CONFIG,
} from './defaults';
export type { DestinationKind } from './destination-kinds';
export { pascalCaseName } from './destination-names';
export { DETAIL_LEVELS, type DetailLevel } from './detail-levels';
export { ConfigError, DestinationCredentialsError, DestinationUrlError } from './errors';
export { INGEST_MAX_CONCURRENCY, MAX_BATCH_SIZE, MAX_BATCH_SIZE_WITHOUT_WINDOW } from './limits';
export { loadRelayConfigFile } from './load-relay-config';
export { apiBaseUrlProblem } from './optional-sections';
export { parseRelayConfig, unroutedDestinations } from './parse-relay-config';
export {
  type ArchiveConfig,
  isReportHeaderName,
  recordDetail,
  type ReportConfig,
  type ReportPeriod,
} from './record-config';
export type {
  AlarmsConfig,
  ConfigMode,
  DestinationConfig,
  DigestConfig,
  DisplayConfig,
  HealthConfig,
  IngestConfig,
  PauboxApiConfig,
  RelayConfig,
} from './relay-config';
export { DEFAULT_TIME_ZONE, isTimeZone } from './time-zones';
export {
  type AdviceConfig,
  DEFAULT_ADVICE_CONFIG,
  DEFAULT_RATES_CONFIG,
  durationMs,
  type RatesConfig,
} from './sending-config';
export { closestMatch, didYouMean } from './suggest';
