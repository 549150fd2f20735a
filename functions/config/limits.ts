/** Bounds of the configuration's numbers, each from the service that imposes it. */

export const MAX_MESSAGES_PER_SECOND = 1000;
export const MAX_WINDOW_SECONDS = 300;
/** SQS limits of a Lambda event source's batch size on a standard queue, without and with a batching window. */
export const MAX_BATCH_SIZE_WITHOUT_WINDOW = 10;
export const MAX_BATCH_SIZE = 10_000;
export const MIN_END_TO_END_DELAY_SECONDS = 10;
export const MAX_END_TO_END_DELAY_SECONDS = 86_400;
/** How many batches the ingest consumer's SQS event source runs at once (its maximum concurrency, 2 to 1,000). */
export const INGEST_MAX_CONCURRENCY = 2;
/** Concurrent executions Lambda keeps unreserved in every account. */
export const UNRESERVED_CONCURRENCY = 100;
/** A new account's concurrency quota, which Lambda raises with use: none of it can be reserved. */
export const NEW_ACCOUNT_CONCURRENCY = 10;

/**
 * Why `ingest.reservedConcurrency` cannot be deployed, if it cannot: a new account (quota 10) has nothing to reserve,
 * so a reservation needs the account's raised quota stated as `ingest.accountConcurrency`, and fits under it less
 * the 100 Lambda keeps unreserved.
 */
export function reservedConcurrencyProblems(ingest: {
  readonly reservedConcurrency?: number;
  readonly accountConcurrency?: number;
}): string[] {
  const { reservedConcurrency: reserved, accountConcurrency: quota } = ingest;
  if (reserved === undefined) return [];
  const instead =
    `The ingest consumer is already bounded without a reservation, by its queue's maximum concurrency ` +
    `(${INGEST_MAX_CONCURRENCY} batches at once): remove ingest.reservedConcurrency`;
  if (quota === undefined) {
    return [
      `ingest.reservedConcurrency: a new AWS account's concurrency quota is ${NEW_ACCOUNT_CONCURRENCY} and Lambda ` +
        `keeps ${UNRESERVED_CONCURRENCY} unreserved, so it has none to reserve and the deploy would fail. ${instead}, ` +
        'or, if your quota was raised (Service Quotas: AWS Lambda, Concurrent executions), set ' +
        'ingest.accountConcurrency to it as well',
    ];
  }
  const room = quota - UNRESERVED_CONCURRENCY;
  if (reserved <= room) return [];
  return [
    `ingest.reservedConcurrency: ${reserved} does not fit in an account concurrency of ${quota}, of which Lambda ` +
      `keeps ${UNRESERVED_CONCURRENCY} unreserved (${room <= 0 ? 'none' : `at most ${room}`} can be reserved). ` +
      `${instead}, or lower it`,
  ];
}
