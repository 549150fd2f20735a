/**
 * Counters the ingest reports (Powertools Metrics in Lambda): `EventsReceived` (accepted, by `EventType`),
 * `WebhooksRejected` (by `Reason`, the error code of the answer), `UnknownEventName`, `WebhooksQuarantined` (right
 * token, unreadable body, kept).
 */
export type IngestMetric = (
  name: 'EventsReceived' | 'WebhooksRejected' | 'UnknownEventName' | 'WebhooksQuarantined',
  value: number,
  dimensions?: { readonly EventType?: string; readonly Reason?: string },
) => void;
