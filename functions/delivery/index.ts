/** Posting alerts to a destination (notifyBatch, retries, pacing, dedup, dead letters): the face of delivery/. */
export { type Clock, realSleep, systemClock } from './clock';
export {
  type DeadLetter,
  type DeadLetterSink,
  deadLetterFilesOf,
  FileDeadLetterStore,
  sqsDeadLetterSink,
  summarizeDeadLetters,
} from './dead-letters';
export {
  DEDUP_RETENTION_SECONDS,
  dedupPk,
  type DedupStore,
  dynamoDedupStore,
  type FinalState,
  MemoryDedupStore,
} from './dedup';
export { dynamoFailureCounter, type FailureCounter, MemoryFailureCounter } from './failure-counts';
export { BROKEN_AFTER_ANSWERS, BrokenDestination } from './broken-destination';
export { notifyBatch } from './notify-batch';
export { messageOf } from './notify/in-order';
export { delayRetries, retryVisibility } from './retry-visibility';
export { MAX_IN_FLIGHT, MAX_SLOW_POSTS, SendGate, SLOW_REPLY_MS, slowAfterMs } from './send-gate';
export { buildNotifyDeps, type NotifyParts } from './notify-deps';
export type { FollowUps, NotifierMetric, NotifyEnrichment } from './notify/deps';
export { DEFAULT_ENRICHMENT_TIMEOUT_MS } from './notify/enrich';
export type { QueuedRecord, RecordOutcome } from './notify/ledger';
export { DEFAULT_MESSAGES_PER_SECOND, dynamoPacer, intervalMsOf, MemoryPacer, type PostPacer } from './pacing';
export { RELAY_TABLE, tableKey } from './relay-table';
export { DEFAULT_RETRY_POLICY, DELIVERY_TRIES, type RetryPolicy } from './retry';
export { dynamoThreadStore, threadPk } from './threads';
