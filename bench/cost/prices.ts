/**
 * The prices and assumptions the cost model works with, and what it is given: each function's measured figures.
 *
 * Prices: us-east-1 on-demand list prices in USD, as published on the AWS pricing pages named beside each
 * (read in 2025; this bench runs offline and does not fetch them: check them when you rely on the figure).
 */

export const PRICES = {
  /** aws.amazon.com/api-gateway/pricing: HTTP APIs, first 300 million requests a month, per million. */
  httpApiPerMillion: 1.0,
  /** aws.amazon.com/lambda/pricing: requests, per million. */
  lambdaRequestsPerMillion: 0.2,
  /** aws.amazon.com/lambda/pricing: Arm duration, first 7.5 billion GB-seconds a month, per GB-second. */
  lambdaArmPerGbSecond: 0.0000133334,
  /** aws.amazon.com/sns/pricing: standard topic publishes, per million 64 KB chunks. Deliveries to SQS are free. */
  snsPublishPerMillion: 0.5,
  /** aws.amazon.com/sqs/pricing: standard queue requests beyond the free million, per million. */
  sqsRequestsPerMillion: 0.4,
  /** aws.amazon.com/dynamodb/pricing/on-demand: write request units, per million (price of November 2024). */
  dynamoWritesPerMillion: 0.625,
  /** aws.amazon.com/dynamodb/pricing/on-demand: read request units, per million; a consistent read of ≤ 4 KB is one. */
  dynamoReadsPerMillion: 0.125,
  /** aws.amazon.com/cloudwatch/pricing: log ingestion (Lambda logs, first 10 TB), per GB. */
  logsIngestionPerGb: 0.5,
  /** aws.amazon.com/ec2/pricing/on-demand: data transfer out to the internet (to Slack/Teams), first 10 TB, per GB. */
  dataTransferOutPerGb: 0.09,
  /** aws.amazon.com/secrets-manager/pricing: per secret-month, and per 10,000 API calls. */
  secretPerMonth: 0.4,
  secretsManagerPer10kCalls: 0.05,
  /** aws.amazon.com/cloudwatch/pricing: API requests such as DescribeAlarms, per 1,000. */
  cloudWatchApiPer1000Requests: 0.01,
  /** aws.amazon.com/kms/pricing: per customer-managed key-month, and per 10,000 requests. */
  kmsKeyPerMonth: 1.0,
  kmsPer10kRequests: 0.03,
  /** aws.amazon.com/cloudwatch/pricing: per standard alarm-month, and per custom metric-month (first 10,000). */
  alarmPerMonth: 0.1,
  customMetricPerMonth: 0.3,
} as const;

/** Lambda gives a function one vCPU at 1,769 MB and CPU in proportion to memory below that. */
export const MB_PER_VCPU = 1769;
/** Memory sizes considered when choosing one. */
export const CANDIDATE_MEMORY_MB = [128, 192, 256, 384, 512, 768, 1024, 1536, 1769] as const;

export interface CostAssumptions {
  readonly destinationsPerEvent: number;
  /** Records per notifier invocation: 1 when alerts trickle in (the event source mapping has no batching window). */
  readonly recordsPerBatch: number;
  /**
   * Webhooks per ingest consumer invocation: 1 when they trickle in more than a second apart (its batching window),
   * up to 100 in a burst (docs/ingest.md).
   */
  readonly ingestRecordsPerBatch: number;
  /** Round trips to services measured here only as in-memory stubs, in ms. */
  readonly snsPublishMs: number;
  readonly dynamoWriteMs: number;
  readonly chatPostMs: number;
  /** Share of invocations that start a new execution environment (Lambda bills the init phase). */
  readonly coldStartShare: number;
  /** Lambda's START, END and REPORT lines per invocation, in bytes. */
  readonly platformLogBytes: number;
  /** HTTP and TLS framing of a post to the chat platform, beyond its body, in bytes. */
  readonly chatRequestOverheadBytes: number;
  /** Execution environments kept warm per function, each reading its secrets once per cache period (300 s). */
  readonly warmEnvironments: number;
  /** Custom metric names with their dimensions that the relay emits in a month. */
  readonly customMetrics: number;
  /**
   * The construct's alarms for one destination: ingest 5 (errors, 5xx, throttled, stuck, dead letters), the
   * destination 4 and its probe alarm, the probe's errors.
   */
  readonly alarms: number;
  readonly secrets: number;
  /** `health.probeMinutes`: the scheduled probe runs this often, whatever the volume. */
  readonly probeMinutes: number;
  /** One probe run: a secret read and a POST of `{}` per destination, one DescribeAlarms, in ms. */
  readonly probeRunMs: number;
}

export const DEFAULT_ASSUMPTIONS: CostAssumptions = {
  destinationsPerEvent: 1,
  recordsPerBatch: 1,
  ingestRecordsPerBatch: 1,
  snsPublishMs: 20,
  dynamoWriteMs: 8,
  chatPostMs: 250,
  coldStartShare: 0.01,
  platformLogBytes: 350,
  chatRequestOverheadBytes: 1000,
  warmEnvironments: 1,
  customMetrics: 10,
  alarms: 11,
  secrets: 3,
  probeMinutes: 60,
  probeRunMs: 1000,
};

/** What one function costs per invocation, measured. */
export interface MeasuredFunction {
  readonly memorySizeMb: number;
  /** Handler time per invocation with every AWS and chat call answered at once, on one full CPU. */
  readonly cpuMsPerInvocation: number;
  /** Cold-start overhead (process, load, first event) on one full CPU. */
  readonly coldStartMs: number;
  readonly logBytesPerInvocation: number;
  /** AWS calls per invocation, by `service.Operation`, as the stub counted them. */
  readonly awsCallsPerInvocation: Readonly<Record<string, number>>;
  /** Events (webhooks, or queue records) per measured invocation. */
  readonly recordsPerInvocation: number;
  /** Bytes of the body posted to the chat platform per record (notifier). */
  readonly chatBodyBytesPerRecord?: number;
}

export interface CostLine {
  readonly item: string;
  readonly quantityPerMillionEvents: number;
  readonly unit: string;
  readonly price: string;
  readonly usd: number;
}

export interface CostEstimate {
  readonly perMillionEventsUsd: number;
  readonly lines: readonly CostLine[];
  readonly fixedMonthlyUsd: number;
  readonly fixedLines: readonly CostLine[];
  readonly assumptions: CostAssumptions;
}
