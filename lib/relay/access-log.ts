/**
 * What the access log records. The webhook routes' keys hold their token (`POST /paubox/<token>`), so neither the
 * route key nor the request path is logged (`$context.routeKey` and `$context.path` must not appear here).
 */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  time: '$context.requestTime',
  method: '$context.httpMethod',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  latencyMs: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  integrationLatencyMs: '$context.integrationLatency',
  error: '$context.error.message',
  sourceIp: '$context.identity.sourceIp',
});

/**
 * The access log's format with the relay's id as a constant field, which the metric filters read as their `Relay`
 * dimension (a metric filter's dimensions can only be fields of the log line).
 */
export function accessLogFormat(relayId: string): string {
  return JSON.stringify({ ...(JSON.parse(ACCESS_LOG_FORMAT) as Record<string, string>), relay: relayId });
}
