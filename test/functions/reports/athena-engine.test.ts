import {
  AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  StartQueryExecutionCommand,
  StopQueryExecutionCommand,
} from '@aws-sdk/client-athena';
import { mockClient } from 'aws-sdk-client-mock';
import { athenaEngine } from '../../../functions/reports/athena-engine';
import { athenaForm, rangeEndingAt, rangeParameters, type QueryName } from '../../../functions/reports/queries';
import { querySql } from '../../../functions/reports/local/query-files';
import { runScheduledReport } from '../../../functions/reports/scheduled-report';
import { summarize } from '../../../functions/reports/summary';
import type { QueryEngine } from '../../../functions/reports/engine';

const athena = mockClient(AthenaClient);
const RANGE = rangeEndingAt(new Date('2026-03-16T08:00:00.000Z'), 7 * 86_400_000);

const engine = (overrides: { timeoutMs?: number } = {}) => {
  let now = 0;
  return athenaEngine(new AthenaClient({ region: 'us-east-1' }), {
    workgroup: 'relay-reports',
    database: 'paubox_relay_db',
    query: async (name: QueryName) => athenaForm(querySql(name)),
    pollMs: 500,
    sleep: async (ms) => {
      now += ms;
    },
    now: () => now,
    ...overrides,
  });
};

const cell = (value: string | null) => (value === null ? {} : { VarCharValue: value });

beforeEach(() => athena.reset());

describe('the Athena engine', () => {
  it("runs the repository's SQL in the workgroup with ? placeholders and quoted values, and reads every page", async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-1' });
    athena
      .on(GetQueryExecutionCommand)
      .resolvesOnce({ QueryExecution: { Status: { State: 'RUNNING' } } })
      .resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    const columns = {
      ColumnInfo: [
        { Name: 'period', Type: 'varchar' },
        { Name: 'domain', Type: 'varchar' },
        { Name: 'failures', Type: 'bigint' },
      ],
    };
    athena
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: undefined })
      .resolves({
        ResultSet: {
          ResultSetMetadata: columns,
          Rows: [
            { Data: [cell('period'), cell('domain'), cell('failures')] },
            { Data: [cell('current'), cell('inbox.example.net'), cell('4')] },
          ],
        },
        NextToken: 'page-2',
      })
      .on(GetQueryResultsCommand, { QueryExecutionId: 'q-1', NextToken: 'page-2' })
      .resolves({ ResultSet: { Rows: [{ Data: [cell('previous'), cell(null), cell('1')] }] } });

    const rows = await engine().run('failing-recipient-domains', rangeParameters(RANGE, "O'Brien"));
    expect(rows).toEqual([
      { period: 'current', domain: 'inbox.example.net', failures: '4' },
      { period: 'previous', domain: null, failures: '1' },
    ]);
    const start = athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input;
    expect(start.WorkGroup).toBe('relay-reports');
    expect(start.QueryExecutionContext).toEqual({ Database: 'paubox_relay_db' });
    expect(start.QueryString).not.toMatch(/\$[a-z_]/);
    expect(start.ExecutionParameters).toEqual([
      "'2026-03-02'",
      "'2026-03-17'",
      "'2026-03-02T08:00:00.000Z'",
      "'2026-03-16T08:00:00.000Z'",
      "'2026-03-09T08:00:00.000Z'",
    ]);
    expect(start.QueryString!.split('?').length - 1).toBe(start.ExecutionParameters!.length);
  });

  it('quotes a header name as a SQL literal, doubling its quotes', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-2' });
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'SUCCEEDED' } } });
    athena
      .on(GetQueryResultsCommand)
      .resolves({ ResultSet: { ResultSetMetadata: { ColumnInfo: [] }, Rows: [{ Data: [] }] } });
    await engine().run('failures-by-header', rangeParameters(RANGE, "X-It's"));
    // Header names are archived in lower case (case-insensitive, RFC 5322), so the value asked for is too.
    expect(athena.commandCalls(StartQueryExecutionCommand)[0]!.args[0].input.ExecutionParameters![0]).toBe("'x-it''s'");
  });

  it('says why a query failed, and stops one that runs too long', async () => {
    athena.on(StartQueryExecutionCommand).resolves({ QueryExecutionId: 'q-3' });
    athena
      .on(GetQueryExecutionCommand)
      .resolves({ QueryExecution: { Status: { State: 'FAILED', StateChangeReason: 'TABLE_NOT_FOUND' } } });
    await expect(engine().run('summary', rangeParameters(RANGE))).rejects.toThrow(
      'query summary failed: TABLE_NOT_FOUND',
    );
    athena.on(GetQueryExecutionCommand).resolves({ QueryExecution: { Status: { State: 'RUNNING' } } });
    await expect(engine({ timeoutMs: 2000 }).run('summary', rangeParameters(RANGE))).rejects.toThrow(
      /took longer than 2 s; stopped/,
    );
    expect(athena.commandCalls(StopQueryExecutionCommand)).toHaveLength(1);
  });
});

describe('a scheduled report', () => {
  const fake: QueryEngine = {
    run: async (name) =>
      name === 'summary'
        ? [
            {
              period: 'current',
              delivered: '9',
              opened: '1',
              temporary_failure: '0',
              permanent_failure: '1',
              unique_recipients: '8',
              bounce_rate: '0.1',
              hard_bounce_rate: '0.1',
              soft_bounce_rate: '0.0',
            },
          ]
        : [],
  };

  it('summarizes the period ending at the scheduled time and queues the same key to each destination', async () => {
    const sent: [string, string][] = [];
    const input = { every: 'week' as const, to: ['ops', 'care-team'], scheduledTime: '2026-03-16T08:00:00Z' };
    const key = await runScheduledReport(input, fake, async (destination, body) => void sent.push([destination, body]));
    expect(key).toBe('report-week-2026-03-16T08:00:00.000Z');
    expect(sent.map(([d]) => d)).toEqual(['ops', 'care-team']);
    const body = JSON.parse(sent[0]![1]) as { key: string; summary: { since: string; delivered: number } };
    expect(body).toMatchObject({ key, summary: { since: '2026-03-09T08:00:00.000Z', delivered: 9 } });
    // A retried run reports the same period under the same key, which each notifier posts once.
    const again: string[] = [];
    await runScheduledReport(input, fake, async (_d, b) => void again.push(b));
    expect(again[0]).toBe(sent[0]![1]);
  });

  it('refuses an input without a time, a period or destinations', async () => {
    await expect(
      runScheduledReport({ every: 'day', to: [], scheduledTime: 'now' }, fake, async () => undefined),
    ).rejects.toThrow(/needs every \(day or week\), to \(destination names\) and scheduledTime/);
    expect((await summarize(fake, RANGE)).delivered).toBe(9);
  });
});
