/** The Paubox webhook parser, the normalized event and Standard Webhooks signatures: the face of paubox/. */
export { minimalDeliveryStatus, STATUS_NOT_SHOWN } from './delivery-status';
export { PayloadError, SignatureError } from './errors';
export { cachedLookup, fetchDeliveryStatus, ReceiptLookupError } from './message-receipt';
export { parseAddressList, type ParsedAddress } from './addresses';
export { parseJsonText } from './lenient';
export { parsePauboxWebhook } from './parse-webhook';
export { decodeQueuedEvent, EVENT_TYPES, type EventType, type RelayEvent } from './relay-event';
export { parseSigningSecret, signWebhook, verifyWebhookSignature } from './signature';
