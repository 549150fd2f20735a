import type { DestinationAccount, FaultMixReport } from './account';

/** The report as an aligned text table, one column per destination plus the total. */
export function formatReport(report: FaultMixReport): string {
  const { destinations: ds, totals } = report;
  const reasons = [...new Set(ds.flatMap((d) => Object.keys(d.deadLettered)))].sort();
  const rows: [string, ...(string | number)[]][] = [
    ['events sent', ...ds.map((d) => d.events), report.eventsSent],
    ['webhook duplicates sent', ...ds.map(() => ''), report.duplicateWebhooksSent],
    ['posted once (confirmed)', ...ds.map((d) => d.postedOnce), totals.postedOnce],
    ['posted unconfirmed (slow reply)', ...ds.map((d) => d.postedUnconfirmed), totals.postedUnconfirmed],
    ...reasons.map((r): [string, ...number[]] => [
      `dead-lettered: ${r}`,
      ...ds.map((d) => d.deadLettered[r] ?? 0),
      totals.deadLettered[r] ?? 0,
    ]),
    ['dead letters in store (entries)', ...ds.map((d) => d.deadLetterEntries), totals.deadLetterEntries],
    ['lost', ...ds.map((d) => d.lost), totals.lost],
    ['duplicated', ...ds.map((d) => d.duplicated), totals.duplicated],
    ['unexpected outcome', ...ds.map((d) => d.unexpected), totals.unexpected],
    ['retries made (metric)', ...ds.map((d) => d.metrics.Retries), totals.retries],
    ['retries expected (server)', ...ds.map((d) => d.expected.retries), sumOf(ds, (d) => d.expected.retries)],
    ['429s received (metric)', ...ds.map((d) => d.metrics.RateLimited), totals.rateLimited],
    ['429s sent (server)', ...ds.map((d) => d.server.rateLimited), totals.serverRateLimited],
    ['min wait after 429 (ms)', ...ds.map((d) => d.minRetryAfterGapMs ?? '-'), ''],
    ['duplicates skipped (metric)', ...ds.map((d) => d.metrics.Duplicates), sumOf(ds, (d) => d.metrics.Duplicates)],
    ['requests to platform', ...ds.map((d) => d.server.requests), sumOf(ds, (d) => d.server.requests)],
  ];
  const header = ['', ...ds.map((d) => `${d.destination} (${d.platform})`), 'total'];
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, c) => Math.max(...cells.map((r) => (r[c] ?? '').length)));
  const line = (r: string[]): string =>
    r.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!))).join('  ');
  const statuses = Object.entries(report.webhookStatuses)
    .map(([s, n]) => `${s}×${n}`)
    .join(', ');
  return [
    `fault mix: seed ${report.seed}, ${report.eventsSent} events, ${report.durationMs} ms; webhook replies: ${statuses}`,
    line(cells[0]!),
    line(widths.map((w) => '-'.repeat(w))),
    ...cells.slice(1).map(line),
    report.problems.length === 0
      ? 'no discrepancies'
      : `${report.problems.length} discrepancies:\n  ${report.problems.join('\n  ')}`,
  ].join('\n');
}

function sumOf(ds: readonly DestinationAccount[], pick: (d: DestinationAccount) => number): number {
  return ds.reduce((n, d) => n + pick(d), 0);
}
