/** Per-destination rate limits: the pacer's contract, and its versions in memory (local relay, tests) and DynamoDB. */
export * from './pacer';
export * from './memory-pacer';
export * from './dynamodb-pacer';
