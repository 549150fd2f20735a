import type { SQSEvent } from 'aws-lambda';

/** What the construct gives a notifier Lambda for destination `ops`; tests override what they are about. */
export const NOTIFIER_URL_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ops-url';
export const NOTIFIER_KEY_SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:fingerprint';
export const NOTIFIER_DLQ_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/ops-dlq';
export const NOTIFIER_QUEUE_URL = 'https://sqs.eu-west-1.amazonaws.com/111122223333/ops';

export function notifierEnvironment(overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
  return {
    DESTINATION_NAME: 'ops',
    DESTINATION_KIND: 'auto',
    DESTINATION_DETAIL: 'minimal',
    DESTINATION_SECRET_ARN: NOTIFIER_URL_SECRET,
    FINGERPRINT_SECRET_ARN: NOTIFIER_KEY_SECRET,
    SECRET_CACHE_SECONDS: '0',
    DEDUP_TABLE_NAME: 'dedup',
    DEAD_LETTER_QUEUE_URL: NOTIFIER_DLQ_URL,
    QUEUE_URL: NOTIFIER_QUEUE_URL,
    MAX_RECEIVE_COUNT: '5',
    DIGEST_MIN_GROUP_SIZE: '2',
    RELAY_ID: 'TestStack/Relay',
    ...overrides,
  };
}

/** An SQS event of first deliveries, message ids `msg-1`, `msg-2`, …, receipt handles `receipt-1`, … */
export function firstDeliveries(bodies: readonly string[]): SQSEvent {
  return {
    Records: bodies.map((body, i) => ({
      messageId: `msg-${i + 1}`,
      receiptHandle: `receipt-${i + 1}`,
      body,
      attributes: { ApproximateReceiveCount: '1' },
    })),
  } as unknown as SQSEvent;
}
