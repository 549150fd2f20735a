import { DEFAULT_RECORD_ASSUMPTIONS, estimateRecordCost, RECORD_PRICES } from '../../bench/cost';

describe("the record's cost model", () => {
  const cost = estimateRecordCost();

  it('bills Firehose per 5 KB record, however small the event', () => {
    const ingestion = cost.archive.find((l) => l.item.startsWith('Firehose ingestion'))!;
    expect(ingestion.quantityPerMillionEvents).toBeCloseTo(5.12, 2);
    const bigger = estimateRecordCost({ ...DEFAULT_RECORD_ASSUMPTIONS, publishedEventBytes: 5 * 1024 + 1 });
    expect(bigger.archive.find((l) => l.item.startsWith('Firehose ingestion'))!.usd).toBeCloseTo(2 * ingestion.usd, 6);
  });

  it('shows its price beside every line', () => {
    for (const line of [...cost.archive, ...cost.automation, cost.weeklyReport.partitioned, ...cost.fixedMonthly]) {
      expect(line.price).toMatch(/^\$\d/);
    }
  });

  it("scans a fraction of a year with day partitions, and never less than Athena's minimum", () => {
    const { partitioned, yearUnpartitioned } = cost.weeklyReport;
    expect(yearUnpartitioned.usd / partitioned.usd).toBeGreaterThan(20);
    const tiny = estimateRecordCost({ ...DEFAULT_RECORD_ASSUMPTIONS, eventsPerMonth: 10 });
    expect(tiny.weeklyReport.partitioned.quantityPerMillionEvents * 1e12).toBe(
      4 * RECORD_PRICES.athenaMinBytesPerQuery,
    );
  });
});
