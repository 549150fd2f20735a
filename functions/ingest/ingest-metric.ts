/**
 * Counters the ingest reports (Powertools Metrics in Lambda): `EventsReceived` (accepted, by `EventType`),
 * `WebhooksRejected` (by `Reason`, the error code of the answer), `UnknownEventName`, `FallbackUsed`.
 */
export type IngestMetric = (
  name: 'EventsReceived' | 'WebhooksRejected' | 'UnknownEventName' | 'FallbackUsed',
  value: number,
  dimensions?: { readonly EventType?: string; readonly Reason?: string },
) => void;
