/** The public API of the relay's CDK code: the construct, its stack, and what configuring them needs. */
export { PauboxAlertRelay } from './paubox-alert-relay';
export {
  DEFAULT_INGEST_MEMORY_MB,
  DEFAULT_NOTIFIER_MEMORY_MB,
  DEFAULT_THROTTLING_BURST_LIMIT,
  DEFAULT_THROTTLING_RATE_LIMIT,
  type PauboxAlertRelayProps,
} from './relay/props';
export type { DestinationAlarms, RelayDestination } from './relay/chat-destination';
export { ACCESS_LOG_FORMAT } from './relay/access-log';
export type { IngestAlarms } from './relay/ingest-endpoint';
export { OperatorOutputs, TOKEN_FROM_SECRET } from './relay/operator-outputs';
export { PauboxAlertRelayStack, type PauboxAlertRelayStackProps } from './paubox-alert-relay-stack';
export { DEFAULT_CONFIG_FILE, loadStackConfig, StackConfigError } from './stack-config';
export {
  DEFAULT_DEPLOY_CONFIG,
  loadRelayConfigFile,
  parseRelayConfig,
  pascalCaseName,
  type AlarmsConfig,
  type DestinationConfig,
  type DigestConfig,
  type IngestConfig,
  type RelayConfig,
} from '../functions/config';
export { DESTINATION_BROKEN_METRIC, METRIC_NAMESPACE } from '../functions/observability';
