/** Queued webhook to topic (token, signature, consumer, publisher, quarantine, token rotation): the face of ingest/. */
export { type ConsumedRecord, consumeWebhooks } from './consume-webhooks';
export { ACCEPT_PATH_PROPERTY, deploySelfTest } from './deploy-self-test';
export { PayloadTooLargeError, UnauthorizedError } from './errors';
export type { EventPublisher } from './event-publisher';
export { errorResponse, handleWebhook, type IngestResponse, MAX_BODY_BYTES } from './handle-webhook';
export { keepUnreadable } from './keep-unreadable';
export { FileQuarantine, quarantineFileOf } from './quarantine/file-store';
export type { Quarantine, QuarantinedWebhook } from './quarantine/quarantine';
export { sqsQuarantine } from './quarantine/sqs-store';
export { ATTRIBUTE_PREFIX, messageAttributesTemplate, type QueuedAttributeName } from './queued-webhook';
export { type HopResult, runSelfTest, type SelfTestDeps, SelfTestError, type SelfTestHop } from './self-test';
export {
  memorySelfTestRecords,
  newSelfTestNonce,
  type SelfTestRecords,
  selfTestBody,
  selfTestNonce,
} from './self-test-marker';
export { dynamoSelfTestRecords } from './self-test-store';
export { snsPublisher } from './sns-publisher';
export { handleTokenEvent, type TokenEventDeps, WEBHOOK_ROUTES_RESOURCE_ID } from './token-events';
export { keepWebhookRoutes, type RotationDeps, rotateTokenStep, type RotationEvent } from './token-rotation';
export { parseTokenSecret, validTokens } from './token-secret';
export { tokenMatches } from './token';
export { syncWebhookRoutes, tokenOfRouteKey, type WebhookApi } from './webhook-routes';
