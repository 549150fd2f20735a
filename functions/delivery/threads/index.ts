/** The threads of Slack app-mode destinations in DynamoDB (the interface and the local store live in chat/). */
export * from './dynamodb-thread-store';
