import { PRICES, type CostAssumptions, type CostLine } from './prices';

/** What the relay costs a month whatever the volume: the scheduled probe, secrets, the KMS key, alarms, metrics. */
export function fixedMonthlyLines(a: CostAssumptions): CostLine[] {
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
  return [
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
}
