/** Shared AWS helpers (lazy SDK packages, secrets, stack outputs, environment): the face of aws/ for other concerns. */
export { cachedValue } from './cached-value';
export { OpsError } from './errors';
export { dynamodbSdk, snsSdk, sqsClientOnFirstUse, sqsSdk } from './lazy-sdk';
export { messageAttributes } from './message-attributes';
export { readSecretString } from './read-secret';
export { requireEnv } from './require-env';
export {
  DEFAULT_STACK_NAME,
  deployedDestination,
  explainAwsError,
  queueUrlOf,
  readStackOutputs,
  requireOutput,
} from './stack-outputs';
