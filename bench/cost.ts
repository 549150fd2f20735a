/**
 * Cost per million Paubox webhook events, from measured durations, measured AWS calls and log bytes, and the
 * memory sizes the construct sets; and the memory size these measurements argue for.
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
  // Once per cache period (300 s) per warm environment: the token, and the URL and fingerprint key.
  const secretCalls = a.warmEnvironments * 12 * 730 * 3;
  // Data keys are reused for 5 minutes by SNS, SQS and DynamoDB: about one request per key user every 5 minutes.
  const kmsRequests = 4 * 12 * 730;
  // The scheduled probe (256 MB): one run per interval; each reads the destination's secret and lists the alarms.
  const probeRuns = (730 * 60) / a.probeMinutes;
  const probeUsd =
    (probeRuns / 1e6) * PRICES.lambdaRequestsPerMillion +
    probeRuns * 0.25 * (a.probeRunMs / 1000) * PRICES.lambdaArmPerGbSecond +
    (probeRuns / 1e4) * PRICES.secretsManagerPer10kCalls +
    (probeRuns / 1000) * PRICES.cloudWatchApiPer1000Requests;
  const fixedLines: CostLine[] = [
    {
      item: `scheduled probe (every ${a.probeMinutes} min: run, secret read, DescribeAlarms)`,
      quantityPerMillionEvents: probeRuns,
      unit: 'runs',
      price: 'Lambda, Secrets Manager and CloudWatch API prices',
      usd: probeUsd,
    },
    {
      item: 'secrets',
      quantityPerMillionEvents: a.secrets,
      unit: 'secret-months',
      price: `$${PRICES.secretPerMonth}/month`,
      usd: a.secrets * PRICES.secretPerMonth,
    },
    {
      item: 'Secrets Manager reads (cached 300 s)',
      quantityPerMillionEvents: secretCalls,
      unit: 'calls',
      price: `$${PRICES.secretsManagerPer10kCalls}/10k`,
      usd: (secretCalls / 1e4) * PRICES.secretsManagerPer10kCalls,
    },
    {
      item: 'KMS key',
      quantityPerMillionEvents: 1,
      unit: 'key-months',
      price: `$${PRICES.kmsKeyPerMonth}/month`,
      usd: PRICES.kmsKeyPerMonth,
    },
    {
      item: 'KMS requests (data keys reused 5 min)',
      quantityPerMillionEvents: kmsRequests,
      unit: 'requests',
      price: `$${PRICES.kmsPer10kRequests}/10k`,
      usd: (kmsRequests / 1e4) * PRICES.kmsPer10kRequests,
    },
    {
      item: 'CloudWatch alarms',
      quantityPerMillionEvents: a.alarms,
      unit: 'alarm-months',
      price: `$${PRICES.alarmPerMonth}/month`,
      usd: a.alarms * PRICES.alarmPerMonth,
    },
    {
      item: 'custom metrics (EMF)',
      quantityPerMillionEvents: a.customMetrics,
      unit: 'metric-months',
      price: `$${PRICES.customMetricPerMonth}/month`,
      usd: a.customMetrics * PRICES.customMetricPerMonth,
    },
  ];
  return {
    perMillionEventsUsd: lines.reduce((sum, l) => sum + l.usd, 0),
    lines,
    fixedMonthlyUsd: fixedLines.reduce((sum, l) => sum + l.usd, 0),
    fixedLines,
    assumptions: a,
  };
}

/** Headroom kept between the peak RSS measured and the memory size. */
export const RSS_HEADROOM = 0.75;

export interface MemoryChoice {
  readonly memoryMb: number;
  /** Modelled cold start at that size: the measured overhead stretched by its CPU share. */
  readonly coldStartMs: number;
  readonly perMillionEventsUsd: number;
  readonly why: string;
}

/**
 * The cheapest memory size for one function whose peak RSS fits with headroom and whose modelled cold start stays
 * within `coldStartBudgetMs` (CPU, and so start-up time, grows with memory up to 1,769 MB).
 */
export function chooseMemorySize(
  which: 'ingest' | 'notifier',
  ingest: MeasuredFunction,
  notifier: MeasuredFunction,
  peakRssBytes: number,
  coldStartBudgetMs: number,
  a: CostAssumptions = DEFAULT_ASSUMPTIONS,
): MemoryChoice {
  const measured = which === 'ingest' ? ingest : notifier;
  const options = CANDIDATE_MEMORY_MB.map((memoryMb) => {
    const at = { ...measured, memorySizeMb: memoryMb };
    const cost = which === 'ingest' ? estimateCost(at, notifier, a) : estimateCost(ingest, at, a);
    return {
      memoryMb,
      coldStartMs: coldStartAt(measured.coldStartMs, memoryMb),
      perMillionEventsUsd: cost.perMillionEventsUsd,
    };
  });
  const fits = options.filter(
    (o) => peakRssBytes <= o.memoryMb * 1024 * 1024 * RSS_HEADROOM && o.coldStartMs <= coldStartBudgetMs,
  );
  if (fits.length === 0) {
    const last = options[options.length - 1]!;
    return {
      ...last,
      why: `largest size, as no size meets a ${coldStartBudgetMs} ms cold start with ${Math.round(peakRssBytes / 2 ** 20)} MB RSS`,
    };
  }
  const best = fits.reduce((a2, b) => (b.perMillionEventsUsd < a2.perMillionEventsUsd - 1e-9 ? b : a2));
  return {
    ...best,
    why: `cheapest size with its peak RSS ≤ ${RSS_HEADROOM * 100}% of memory and a modelled cold start ≤ ${coldStartBudgetMs} ms`,
  };
}

/**
 * The deliverability record's own prices (us-east-1, read in 2025 like those above; check them when you rely on
 * the figure). The record is a model, not a measurement: its functions do little work beside the services they call.
 */
export const RECORD_PRICES = {
  /** aws.amazon.com/firehose/pricing: Direct PUT ingestion, first 500 TB a month, per GB; each record rounded up to 5 KB. */
  firehosePerGb: 0.029,
  firehoseRecordRoundingBytes: 5 * 1024,
  /** aws.amazon.com/sns/pricing: deliveries to Amazon Data Firehose, per million notifications. */
  snsToFirehosePerMillion: 0.19,
  /** aws.amazon.com/s3/pricing: S3 Standard storage, first 50 TB, per GB-month; PUT requests per 1,000. */
  s3PerGbMonth: 0.023,
  s3PutPer1000: 0.005,
  /** aws.amazon.com/athena/pricing: per TB scanned, at least 10 MB a query. */
  athenaPerTb: 5,
  athenaMinBytesPerQuery: 10 * 1024 ** 2,
  /** aws.amazon.com/eventbridge/pricing: custom events put on a bus, per million (64 KB chunks). */
  eventBridgePerMillion: 1.0,
} as const;

export interface RecordAssumptions {
  /** The event as SNS hands it to Firehose (the relay's JSON), in bytes: what Firehose bills, rounded up to 5 KB. */
  readonly publishedEventBytes: number;
  /** An archived line at detail minimal, in bytes. */
  readonly archiveLineBytes: number;
  /** Gzip's size ratio on archive lines (keys repeat on every line). */
  readonly gzipRatio: number;
  /** Events per transformation invocation (1 MiB buffers of ~1.2 KB events). */
  readonly eventsPerTransform: number;
  readonly transformMs: number;
  readonly functionMemoryMb: number;
  /** Events a month, to spread the per-buffer S3 objects and size the report scans. */
  readonly eventsPerMonth: number;
  /** Queries a report runs. */
  readonly queriesPerReport: number;
}

export const DEFAULT_RECORD_ASSUMPTIONS: RecordAssumptions = {
  publishedEventBytes: 1200,
  archiveLineBytes: 700,
  gzipRatio: 0.15,
  eventsPerTransform: 800,
  transformMs: 150,
  functionMemoryMb: 256,
  eventsPerMonth: 1e6,
  queriesPerReport: 4,
};

export interface RecordCost {
  /** Archive: per million events. */
  readonly archive: readonly CostLine[];
  /** Automation bus: per million events. */
  readonly automation: readonly CostLine[];
  /** One weekly report's four queries, scanning two weeks and a day of partitions, and the same without partitions. */
  readonly weeklyReport: { readonly partitioned: CostLine; readonly yearUnpartitioned: CostLine };
  /** A month of Firehose objects (one per 5-minute buffer) at low volume. */
  readonly fixedMonthly: readonly CostLine[];
}

/** The record's cost lines, each with its price beside it. */
export function estimateRecordCost(a: RecordAssumptions = DEFAULT_RECORD_ASSUMPTIONS): RecordCost {
  const M = 1e6;
  const P = RECORD_PRICES;
  const billedGb =
    (M * Math.ceil(a.publishedEventBytes / P.firehoseRecordRoundingBytes) * P.firehoseRecordRoundingBytes) / 1e9;
  const transforms = M / a.eventsPerTransform;
  const gbSeconds = transforms * (a.functionMemoryMb / 1024) * (a.transformMs / 1000);
  const storedGb = (M * a.archiveLineBytes * a.gzipRatio) / 1e9;
  const archive: CostLine[] = [
    {
      item: 'SNS deliveries to Firehose',
      quantityPerMillionEvents: M,
      unit: 'notifications',
      price: `$${P.snsToFirehosePerMillion}/M`,
      usd: P.snsToFirehosePerMillion,
    },
    {
      item: 'Firehose ingestion (5 KB per record)',
      quantityPerMillionEvents: billedGb,
      unit: 'GB',
      price: `$${P.firehosePerGb}/GB`,
      usd: billedGb * P.firehosePerGb,
    },
    {
      item: 'transformation Lambda requests',
      quantityPerMillionEvents: transforms,
      unit: 'requests',
      price: `$${PRICES.lambdaRequestsPerMillion}/M`,
      usd: (transforms / M) * PRICES.lambdaRequestsPerMillion,
    },
    {
      item: 'transformation Lambda duration',
      quantityPerMillionEvents: gbSeconds,
      unit: 'GB-s',
      price: `$${PRICES.lambdaArmPerGbSecond}/GB-s Arm`,
      usd: gbSeconds * PRICES.lambdaArmPerGbSecond,
    },
    {
      item: 'S3 storage, kept a year (gzip)',
      quantityPerMillionEvents: storedGb * 12,
      unit: 'GB-months',
      price: `$${P.s3PerGbMonth}/GB-month`,
      usd: storedGb * 12 * P.s3PerGbMonth,
    },
  ];
  const automation: CostLine[] = [
    {
      item: 'SQS requests (send, receive, delete; batches of 10)',
      quantityPerMillionEvents: M * 1.2,
      unit: 'requests',
      price: `$${PRICES.sqsRequestsPerMillion}/M`,
      usd: 1.2 * PRICES.sqsRequestsPerMillion,
    },
    {
      item: 'publisher Lambda requests',
      quantityPerMillionEvents: M / 10,
      unit: 'requests',
      price: `$${PRICES.lambdaRequestsPerMillion}/M`,
      usd: 0.1 * PRICES.lambdaRequestsPerMillion,
    },
    {
      item: 'EventBridge custom events',
      quantityPerMillionEvents: M,
      unit: 'events',
      price: `$${P.eventBridgePerMillion}/M`,
      usd: P.eventBridgePerMillion,
    },
  ];
  const scanned = (bytes: number) => a.queriesPerReport * Math.max(P.athenaMinBytesPerQuery, bytes);
  const perDay = (a.eventsPerMonth / 30) * a.archiveLineBytes * a.gzipRatio;
  const athenaLine = (item: string, bytes: number): CostLine => ({
    item,
    quantityPerMillionEvents: bytes / 1e12,
    unit: 'TB scanned',
    price: `$${P.athenaPerTb}/TB (10 MB minimum a query)`,
    usd: (bytes / 1e12) * P.athenaPerTb,
  });
  const objects = 12 * 730;
  return {
    archive,
    automation,
    weeklyReport: {
      partitioned: athenaLine('weekly report, 15 days of partitions', scanned(perDay * 15)),
      yearUnpartitioned: athenaLine('weekly report over a year of lines without partitions', scanned(perDay * 365)),
    },
    fixedMonthly: [
      {
        item: 'S3 PUTs (one object per 5-minute buffer)',
        quantityPerMillionEvents: objects,
        unit: 'requests',
        price: `$${P.s3PutPer1000}/1k`,
        usd: (objects / 1000) * P.s3PutPer1000,
      },
    ],
  };
}

if (require.main === module) {
  const cost = estimateRecordCost();
  const show = (lines: readonly CostLine[]) =>
    lines
      .map(
        (l) =>
          `  ${l.item}: ${l.quantityPerMillionEvents.toPrecision(3)} ${l.unit} × ${l.price} = $${l.usd.toFixed(4)}`,
      )
      .join('\n');
  const sum = (lines: readonly CostLine[]) => lines.reduce((s, l) => s + l.usd, 0).toFixed(3);
  process.stdout.write(
    `archive, per million events: $${sum(cost.archive)}\n${show(cost.archive)}\n` +
      `automation bus, per million events: $${sum(cost.automation)}\n${show(cost.automation)}\n` +
      `a weekly report:\n${show([cost.weeklyReport.partitioned, cost.weeklyReport.yearUnpartitioned])}\n` +
      `fixed, a month:\n${show(cost.fixedMonthly)}\n`,
  );
}
