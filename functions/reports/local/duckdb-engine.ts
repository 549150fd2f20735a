import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Row, QueryEngine } from '../engine';
import { parameterOrder, type QueryName } from '../queries';
import { querySql } from './query-files';

/** The archive's columns, typed as the Glue table types them. */
const COLUMNS: Readonly<Record<string, string>> = {
  key: 'VARCHAR',
  event_type: 'VARCHAR',
  event_time: 'VARCHAR',
  archived_at: 'VARCHAR',
  paubox_id: 'VARCHAR',
  source_tracking_id: 'VARCHAR',
  message_id: 'VARCHAR',
  sender: 'VARCHAR',
  sender_domain: 'VARCHAR',
  recipient_domains: 'VARCHAR[]',
  recipient_fingerprints: 'VARCHAR[]',
  recipients: 'VARCHAR[]',
  subject: 'VARCHAR',
  custom_headers: 'MAP(VARCHAR, VARCHAR)',
  detail: 'VARCHAR',
};

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

function hasLines(dir: string): boolean {
  if (!existsSync(dir)) return false;
  return readdirSync(dir, { withFileTypes: true }).some(
    (d) =>
      d.isDirectory() && d.name.startsWith('dt=') && readdirSync(join(dir, d.name)).some((f) => f.endsWith('.jsonl')),
  );
}

/**
 * The local engine: DuckDB in memory, with a view `events` over `<archiveDir>/dt=*\/*.jsonl` (the partition `dt`
 * read from the folder name, as Athena's projection reads it from the S3 prefix). An archive with no lines yet is
 * an empty table, so every query answers zeros rather than failing.
 */
export async function duckDbEngine(archiveDir: string): Promise<QueryEngine> {
  // Loaded here: only the CLI and tests use DuckDB; nothing that deploys imports this file.
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // DuckDB 1.5.6 fails an internal assertion when this rewrite meets `row_number() … WHERE place <= 10` over a
  // filtered window; the plan without it gives the same rows.
  await connection.run("SET disabled_optimizers = 'top_n_window_elimination'");
  const columns = `{${Object.entries(COLUMNS)
    .map(([name, type]) => `${literal(name)}: ${literal(type)}`)
    .join(', ')}}`;
  if (hasLines(archiveDir)) {
    const glob = join(archiveDir, 'dt=*', '*.jsonl');
    await connection.run(
      `CREATE VIEW events AS SELECT * FROM read_json(${literal(glob)}, format = 'newline_delimited', ` +
        `columns = ${columns}, hive_partitioning = true, hive_types = {'dt': 'VARCHAR'})`,
    );
  } else {
    const defs = Object.entries(COLUMNS).map(([name, type]) => `${name} ${type}`);
    await connection.run(`CREATE TABLE events (${[...defs, 'dt VARCHAR'].join(', ')})`);
  }
  return {
    async run(name: QueryName, parameters) {
      const sql = querySql(name);
      const used: Record<string, string> = {};
      for (const p of parameterOrder(sql)) {
        const value = parameters[p];
        if (value === undefined) throw new Error(`query parameter ${p} has no value`);
        used[p] = value;
      }
      const reader = await connection.runAndReadAll(sql, used);
      return reader
        .getRowObjectsJson()
        .map((row) =>
          Object.fromEntries(
            Object.entries(row).map(([k, v]) => [k, v === null || v === undefined ? null : String(v)]),
          ),
        ) as Row[];
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}
