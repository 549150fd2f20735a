/** Queued webhook to topic (token, signature, consumer, publisher, quarantine, token rotation): the face of ingest/. */
export { consumeWebhooks } from './consume-webhooks';
export { PayloadTooLargeError, UnauthorizedError } from './errors';
export type { EventPublisher } from './event-publisher';
export { errorResponse, handleWebhook, type IngestResponse, MAX_BODY_BYTES } from './handle-webhook';
export { FileQuarantine, quarantineFileOf } from './quarantine/file-store';
export type { Quarantine, QuarantinedWebhook } from './quarantine/quarantine';
export { sqsQuarantine } from './quarantine/sqs-store';
export { ATTRIBUTE_PREFIX, messageAttributesTemplate, type QueuedAttributeName } from './queued-webhook';
export { snsPublisher } from './sns-publisher';
export { rotateTokenStep, type RotationEvent } from './token-rotation';
export { parseTokenSecret, validTokens } from './token-secret';
export { tokenMatches } from './token';
