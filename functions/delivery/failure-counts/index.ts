/** How often a recipient failed: the counter's contract, and its versions in memory (local relay) and DynamoDB. */
export * from './failure-counter';
export * from './memory-counter';
export * from './dynamodb-counter';
