/**
 * Counters the ingest reports (Powertools Metrics in Lambda): `EventsReceived` (accepted, by `EventType`),
 * `WebhooksRejected` (by `Reason`, the error code of the answer), `UnknownEventName`.
 */
export type IngestMetric = (
  name: 'EventsReceived' | 'WebhooksRejected' | 'UnknownEventName',
  value: number,
  dimensions?: { readonly EventType?: string; readonly Reason?: string },
) => void;
