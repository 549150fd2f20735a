/**
 * The relay's DynamoDB table, shared by de-duplication, send slots and failure counts: the construct creates it
 * with this key and time to live (lib/relay/notifier-state.ts), and the stores write their items by them.
 */
export const RELAY_TABLE = {
  /** The string partition key: `<destination>#<event key>`, `#pace#<destination>`, `#failures#<fingerprint>`. */
  partitionKey: 'pk',
  /** Epoch seconds after which DynamoDB deletes the item. */
  timeToLive: 'expiresAt',
} as const;

/** The key of an item. */
export const tableKey = (pk: string) => ({ [RELAY_TABLE.partitionKey]: { S: pk } });
