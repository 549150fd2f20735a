import { fixedMonthlyLines } from './fixed-cost';
import {
  DEFAULT_ASSUMPTIONS,
  MB_PER_VCPU,
  PRICES,
  type CostAssumptions,
  type CostEstimate,
  type CostLine,
  type MeasuredFunction,
} from './prices';

/*
 * Cost per million Paubox webhook events, from measured durations, measured AWS calls and log bytes, and the
 * memory sizes the construct sets.
 */

/** A measured figure per record. */
const perRecord = (f: MeasuredFunction, value: number) => value / f.recordsPerInvocation;

const cpuScale = (memoryMb: number) => Math.max(1, MB_PER_VCPU / memoryMb);

/** Billed ms of one invocation: CPU time stretched by the memory's CPU share, plus the waits, rounded up to 1 ms. */
export function billedMs(cpuMs: number, waitMs: number, memoryMb: number): number {
  return Math.ceil(cpuMs * cpuScale(memoryMb) + waitMs);
}

export function coldStartAt(coldStartMs: number, memoryMb: number): number {
  return coldStartMs * cpuScale(memoryMb);
}

/** AWS calls per record whose `service.Operation` starts with `prefix`. */
const callsPerRecord = (f: MeasuredFunction, prefix: string) =>
  perRecord(
    f,
    Object.entries(f.awsCallsPerInvocation)
      .filter(([op]) => op.startsWith(prefix))
      .reduce((sum, [, n]) => sum + n, 0),
  );

/** Lambda requests and duration for `invocations` invocations of `records` records each. */
function lambdaLines(
  name: string,
  f: MeasuredFunction,
  invocations: number,
  records: number,
  waitMs: number,
  a: CostAssumptions,
): CostLine[] {
  const gb = f.memorySizeMb / 1024;
  const cpuMs = records * perRecord(f, f.cpuMsPerInvocation);
  const perInvocation =
    billedMs(cpuMs, waitMs, f.memorySizeMb) + a.coldStartShare * coldStartAt(f.coldStartMs, f.memorySizeMb);
  const gbSeconds = invocations * gb * (perInvocation / 1000);
  return [
    {
      item: `${name} Lambda requests`,
      quantityPerMillionEvents: invocations,
      unit: 'requests',
      price: `$${PRICES.lambdaRequestsPerMillion}/M`,
      usd: (invocations / 1e6) * PRICES.lambdaRequestsPerMillion,
    },
    {
      item: `${name} Lambda duration (${f.memorySizeMb} MB, ${perInvocation.toFixed(1)} ms billed)`,
      quantityPerMillionEvents: gbSeconds,
      unit: 'GB-s',
      price: `$${PRICES.lambdaArmPerGbSecond}/GB-s Arm`,
      usd: gbSeconds * PRICES.lambdaArmPerGbSecond,
    },
  ];
}

/** Variable cost of a million webhook events, line by line, and the fixed monthly cost beside it. */
export function estimateCost(
  ingest: MeasuredFunction,
  notifier: MeasuredFunction,
  a: CostAssumptions = DEFAULT_ASSUMPTIONS,
): CostEstimate {
  const M = 1e6;
  const deliveries = M * a.destinationsPerEvent;
  const batches = deliveries / a.recordsPerBatch;
  const dynamoPerRecord = callsPerRecord(notifier, 'dynamodb.');
  // The pacer reads its slot (GetItem); every other call of the notifier writes (claim, confirm, slot updates).
  const dynamoReadsPerRecord = callsPerRecord(notifier, 'dynamodb.GetItem');
  const dynamoWritesPerRecord = dynamoPerRecord - dynamoReadsPerRecord;
  const snsPerEvent = callsPerRecord(ingest, 'sns.');
  const notifierWaitMs = a.recordsPerBatch * (dynamoPerRecord * a.dynamoWriteMs + a.chatPostMs);
  const ingestBatches = M / a.ingestRecordsPerBatch;
  const logBytes =
    M * perRecord(ingest, ingest.logBytesPerInvocation) +
    ingestBatches * a.platformLogBytes +
    deliveries * perRecord(notifier, notifier.logBytesPerInvocation) +
    batches * a.platformLogBytes;
  // API Gateway's send to the ingest queue, the consumer's receive and delete a batch; SNS → SQS sends are counted
  // as SQS requests, in case they are billed; then one receive and one delete a notifier batch.
  const ingestSqsRequests = M + ingestBatches * 2;
  const sqsRequests = deliveries + batches * 2;
  const egressBytes = deliveries * ((notifier.chatBodyBytesPerRecord ?? 0) + a.chatRequestOverheadBytes);
  const lines: CostLine[] = [
    {
      item: 'API Gateway HTTP API requests',
      quantityPerMillionEvents: M,
      unit: 'requests',
      price: `$${PRICES.httpApiPerMillion}/M`,
      usd: PRICES.httpApiPerMillion,
    },
    {
      item: 'SQS requests (API send to the ingest queue, consumer receive, delete)',
      quantityPerMillionEvents: ingestSqsRequests,
      unit: 'requests',
      price: `$${PRICES.sqsRequestsPerMillion}/M`,
      usd: (ingestSqsRequests / M) * PRICES.sqsRequestsPerMillion,
    },
    // A batch's webhooks are published concurrently: about one SNS round trip of waiting a batch.
    ...lambdaLines('ingest consumer', ingest, ingestBatches, a.ingestRecordsPerBatch, a.snsPublishMs, a),
    {
      item: 'SNS publishes',
      quantityPerMillionEvents: M * snsPerEvent,
      unit: 'requests',
      price: `$${PRICES.snsPublishPerMillion}/M`,
      usd: snsPerEvent * PRICES.snsPublishPerMillion,
    },
    {
      item: 'SNS deliveries to SQS',
      quantityPerMillionEvents: deliveries,
      unit: 'deliveries',
      price: '$0 (free)',
      usd: 0,
    },
    {
      item: 'SQS requests (destination queues: send, receive, delete)',
      quantityPerMillionEvents: sqsRequests,
      unit: 'requests',
      price: `$${PRICES.sqsRequestsPerMillion}/M`,
      usd: (sqsRequests / M) * PRICES.sqsRequestsPerMillion,
    },
    ...lambdaLines('notifier', notifier, batches, a.recordsPerBatch, notifierWaitMs, a),
    {
      item: 'DynamoDB writes (claim, confirm, send slots)',
      quantityPerMillionEvents: deliveries * dynamoWritesPerRecord,
      unit: 'WRU',
      price: `$${PRICES.dynamoWritesPerMillion}/M`,
      usd: a.destinationsPerEvent * dynamoWritesPerRecord * PRICES.dynamoWritesPerMillion,
    },
    {
      item: 'DynamoDB reads (send slots)',
      quantityPerMillionEvents: deliveries * dynamoReadsPerRecord,
      unit: 'RRU',
      price: `$${PRICES.dynamoReadsPerMillion}/M`,
      usd: a.destinationsPerEvent * dynamoReadsPerRecord * PRICES.dynamoReadsPerMillion,
    },
    {
      item: 'CloudWatch Logs ingestion',
      quantityPerMillionEvents: logBytes / 1e9,
      unit: 'GB',
      price: `$${PRICES.logsIngestionPerGb}/GB`,
      usd: (logBytes / 1e9) * PRICES.logsIngestionPerGb,
    },
    {
      item: 'Data transfer out to the chat platform',
      quantityPerMillionEvents: egressBytes / 1e9,
      unit: 'GB',
      price: `$${PRICES.dataTransferOutPerGb}/GB`,
      usd: (egressBytes / 1e9) * PRICES.dataTransferOutPerGb,
    },
  ];
  const fixedLines = fixedMonthlyLines(a);
  return {
    perMillionEventsUsd: lines.reduce((sum, l) => sum + l.usd, 0),
    lines,
    fixedMonthlyUsd: fixedLines.reduce((sum, l) => sum + l.usd, 0),
    fixedLines,
    assumptions: a,
  };
}
