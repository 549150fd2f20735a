/** Alerts that cannot be posted: the sink's contract, a file store (local relay) and the SQS dead-letter queue. */
export * from './dead-letter';
export * from './file-store';
export * from './sqs-sink';
