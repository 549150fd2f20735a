/** Bounds of the configuration's numbers, each from the service that imposes it. */

export const MAX_MESSAGES_PER_SECOND = 1000;
export const MAX_WINDOW_SECONDS = 300;
/** SQS limits of a Lambda event source's batch size on a standard queue, without and with a batching window. */
export const MAX_BATCH_SIZE_WITHOUT_WINDOW = 10;
export const MAX_BATCH_SIZE = 10_000;
export const MIN_END_TO_END_DELAY_SECONDS = 10;
export const MAX_END_TO_END_DELAY_SECONDS = 86_400;
