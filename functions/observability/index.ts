/** Logs (a closed list of fields) and metrics: the face of observability/ for other concerns. */
export { jsonLogger, type LogFields, type Logger, type LogLevel, silentLogger, textLogger } from './logger';
export {
  ARCHIVE_DROPPED_METRIC,
  ARCHIVE_SERVICE,
  AUTOMATION_SERVICE,
  DESTINATION_BROKEN_METRIC,
  DESTINATION_DIMENSION,
  DESTINATION_PROBE_METRIC,
  END_TO_END_DELAY_METRIC,
  EVENT_TYPE_DIMENSION,
  INGEST_SERVICE,
  INTERACTIVITY_SERVICE,
  METRIC_NAMESPACE,
  NOTIFIER_SERVICE,
  PROBE_SERVICE,
  REASON_DIMENSION,
  RELAY_DIMENSION,
  REPORT_SERVICE,
  REQUESTS_WITHOUT_TOKEN_METRIC,
  SLACK_REQUESTS_METRIC,
  AUDIT_FAILED_METRIC,
} from './metric-names';
export { powertoolsLogger } from './powertools-logger';
export { flushMetrics, powertoolsMetric, relayMetrics } from './powertools-metrics';
