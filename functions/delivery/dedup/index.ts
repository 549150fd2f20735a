/** Exactly-once posting: the store's contract, and its versions in memory (local relay, tests) and DynamoDB. */
export * from './dedup-store';
export * from './memory-store';
export * from './dynamodb-store';
