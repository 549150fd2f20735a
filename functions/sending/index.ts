/**
 * Alerts about a sender rather than one message: bounce rates per sender domain (counted in buckets of a sliding
 * window, checked where events pass), and the stores they keep their counters and alert states in.
 */
export * from './rate-window';
export * from './rate-store';
export * from './rate-check';
export * from './rate-watch';
export * from './sending-settings';
export * from './memory-rate-store';
export * from './dynamodb-rate-store';
export * from './silence';
export * from './silence-store';
export * from './dynamodb-silence-store';
export * from './silence-ends';
export * from './advice';
export * from './memory-advice-store';
export * from './dynamodb-advice-store';
export * from './advice-event';
