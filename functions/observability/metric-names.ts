/**
 * The relay's CloudWatch metrics: one namespace, a `service` dimension (added by Powertools Metrics) and at most
 * one more dimension from a small, bounded set, because every distinct combination is billed as its own metric.
 * The construct's alarms and dashboard read the names and dimensions from here.
 */
export const METRIC_NAMESPACE = 'PauboxAlertRelay';
export const DESTINATION_BROKEN_METRIC = 'DestinationBroken';
/** The scheduled silent probe: 1 when a destination's probe says broken, 0 when ok, nothing when unknown. */
export const DESTINATION_PROBE_METRIC = 'DestinationProbeBroken';
export const PROBE_SERVICE = 'probe';

/** Values of the `service` dimension, one per function kind. */
export const INGEST_SERVICE = 'ingest';
export const NOTIFIER_SERVICE = 'notifier';
/** The deliverability record's functions: the archive's transformation, the automation publisher, the reports. */
export const ARCHIVE_SERVICE = 'archive';
export const AUTOMATION_SERVICE = 'automation';
export const REPORT_SERVICE = 'report';
/** Records the archive's transformation left out because they were not relay events. */
export const ARCHIVE_DROPPED_METRIC = 'ArchiveRecordsDropped';

/**
 * Every metric carries the relay's id (`relayId`, by default the stack name and the relay's construct path): two
 * relays in one account and region never read each other's figures.
 */
export const RELAY_DIMENSION = 'Relay';
/**
 * Requests API Gateway answered 404 (no route: no valid token in the path), counted from the access log. Their
 * alarm's notice says someone is posting without the token, never that a webhook is lost.
 */
export const REQUESTS_WITHOUT_TOKEN_METRIC = 'RequestsWithoutToken';

/** Slack's interactivity route: each request by outcome (`Reason`: acted, refused, ignored, failed). */
export const INTERACTIVITY_SERVICE = 'interactivity';
export const SLACK_REQUESTS_METRIC = 'SlackInteractivityRequests';
/** Audit records of Slack actions the archive's audit stream did not take (the actions themselves stood). */
export const AUDIT_FAILED_METRIC = 'AuditRecordsFailed';

/** Notifier metrics carry the destination's name (a configured, bounded set). */
export const DESTINATION_DIMENSION = 'Destination';
/** `EventsReceived` carries the event type (four values). */
export const EVENT_TYPE_DIMENSION = 'EventType';
/** `WebhooksRejected` carries the error code of the answer (`unauthorized`, `invalid_payload`, …). */
export const REASON_DIMENSION = 'Reason';

/** Time from the event's time at Paubox to the chat platform accepting the post; every other metric is a count. */
export const END_TO_END_DELAY_METRIC = 'EndToEndDelay';

export type MetricUnitName = 'Count' | 'Milliseconds';

export function unitOf(metric: string): MetricUnitName {
  return metric === END_TO_END_DELAY_METRIC ? 'Milliseconds' : 'Count';
}
