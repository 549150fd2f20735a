import { PRICES, type CostLine } from './prices';

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
