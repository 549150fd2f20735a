/** Shared AWS helpers (lazy SDK packages, secrets, stack outputs, environment): the face of aws/ for other concerns. */
export { cachedValue } from './cached-value';
export {
  type CustomResourceEvent,
  type CustomResourceResult,
  isCustomResourceEvent,
  respondToCloudFormation,
} from './cloudformation-response';
export { OpsError } from './errors';
export { type EnvSpec, type EnvValues, formatEnv, type FormatValue, readEnv } from './function-env';
export {
  type AppDestinationTarget,
  ARCHIVE_TRANSFORM_ENV,
  HEALTH_ENV,
  INGEST_ENV,
  INTERACTIVITY_ENV,
  type NamedQuery,
  NOTIFIER_ENV,
  PROBE_ENV,
  type ProbeTarget,
  PUBLISH_EVENTS_ENV,
  RELAY_ENV,
  ROTATE_TOKEN_ENV,
  SELF_TEST_ENV,
  SEND_REPORT_ENV,
} from './lambda-environments';
export {
  apiGatewayV2Sdk,
  dynamodbClientOnFirstUse,
  dynamodbSdk,
  eventBridgeSdk,
  firehoseSdk,
  snsSdk,
  sqsClientOnFirstUse,
  sqsSdk,
} from './lazy-sdk';
export { messageAttributes } from './message-attributes';
export { readSecretString } from './read-secret';
export {
  DEFAULT_STACK_NAME,
  type DeployedDestination,
  deployedDestination,
  explainAwsError,
  queueUrlOf,
  readStackOutputs,
  requireOutput,
} from './stack-outputs';
