import type { AthenaClient } from '@aws-sdk/client-athena';
import type { QueryEngine, Row } from './engine';
import { executionParameters, type AthenaQuery, type QueryName } from './queries';

// Required when first used: the report function bundles this file and the Lambda runtime ships the SDK.
const sdk = () => require('@aws-sdk/client-athena') as typeof import('@aws-sdk/client-athena');

export interface AthenaEngineOptions {
  /** The relay's workgroup: it holds the encrypted results location and the scan limit. */
  readonly workgroup: string;
  readonly database: string;
  /** The query in Athena's form; from the repository (CLI) or the saved named queries (report function). */
  readonly query: (name: QueryName) => Promise<AthenaQuery>;
  /** @default 1000 */
  readonly pollMs?: number;
  /** A query still running after this long is stopped and reported. @default 120000 */
  readonly timeoutMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

/** Raised when Athena did not answer: failed, cancelled or too slow. The message names the query, never data. */
export class AthenaQueryError extends Error {
  public readonly name = 'AthenaQueryError';
}

/** The deployed engine: each query runs in the relay's workgroup, with its values as execution parameters. */
export function athenaEngine(client: AthenaClient, options: AthenaEngineOptions): QueryEngine {
  const { GetQueryExecutionCommand, GetQueryResultsCommand, StartQueryExecutionCommand, StopQueryExecutionCommand } =
    sdk();
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  return {
    async run(name, values) {
      const query = await options.query(name);
      const started = now();
      const { QueryExecutionId: id } = await client.send(
        new StartQueryExecutionCommand({
          QueryString: query.sql,
          WorkGroup: options.workgroup,
          QueryExecutionContext: { Database: options.database },
          ...(query.parameters.length > 0
            ? { ExecutionParameters: executionParameters(query.parameters, values) }
            : {}),
        }),
      );
      if (!id) throw new AthenaQueryError(`Athena started no execution for query ${name}`);
      for (;;) {
        const { QueryExecution } = await client.send(new GetQueryExecutionCommand({ QueryExecutionId: id }));
        const state = QueryExecution?.Status?.State;
        if (state === 'SUCCEEDED') break;
        if (state === 'FAILED' || state === 'CANCELLED') {
          throw new AthenaQueryError(
            `query ${name} ${state.toLowerCase()}: ${QueryExecution?.Status?.StateChangeReason ?? 'no reason given'}`,
          );
        }
        if (now() - started > (options.timeoutMs ?? 120_000)) {
          try {
            await client.send(new StopQueryExecutionCommand({ QueryExecutionId: id }));
          } catch {
            // Stopping is a courtesy to the workgroup's bill; the query is reported as too slow either way.
          }
          throw new AthenaQueryError(
            `query ${name} took longer than ${Math.round((options.timeoutMs ?? 120_000) / 1000)} s; stopped`,
          );
        }
        await sleep(options.pollMs ?? 1000);
      }
      const rows: Row[] = [];
      let columns: string[] | undefined;
      let token: string | undefined;
      do {
        const page = await client.send(new GetQueryResultsCommand({ QueryExecutionId: id, NextToken: token }));
        const data = page.ResultSet?.Rows ?? [];
        columns ??= page.ResultSet?.ResultSetMetadata?.ColumnInfo?.map((c) => c.Name ?? '') ?? [];
        // The first row of the first page repeats the column names.
        for (const row of token === undefined ? data.slice(1) : data) {
          rows.push(Object.fromEntries(columns.map((c, i) => [c, row.Data?.[i]?.VarCharValue ?? null])));
        }
        token = page.NextToken;
      } while (token);
      return rows;
    },
  };
}
