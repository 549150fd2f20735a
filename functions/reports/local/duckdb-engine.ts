import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { readJsonLines } from '../../files';
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

/** The partition folders the relay writes: `dt=YYYY-MM-DD`. Nothing else in the path is read as a column. */
const PARTITION = /^dt=(\d{4}-\d{2}-\d{2})$/;

/** A line counts as an archived event when it is an object with its key, type and time; else it is skipped. */
function archivedEvent(value: Record<string, unknown>): Record<string, unknown> | undefined {
  const { key, event_type, event_time } = value;
  return [key, event_type, event_time].every((v) => typeof v === 'string') ? value : undefined;
}

/** Every archive file, with the day of the partition folder it is in. */
function archiveFiles(dir: string): { path: string; day: string }[] {
  const entries = (path: string) => (existsSync(path) ? readdirSync(path, { withFileTypes: true }) : []);
  return entries(dir).flatMap((folder) => {
    const day = PARTITION.exec(folder.name)?.[1];
    if (!folder.isDirectory() || day === undefined) return [];
    return entries(join(dir, folder.name))
      .filter((f) => f.isFile() && f.name.endsWith('.jsonl'))
      .map((f) => ({ path: join(dir, folder.name, f.name), day }));
  });
}

/** The local engine, with how many archive lines it could not read. */
export interface LocalQueryEngine extends QueryEngine {
  /** Lines of the archive skipped as unreadable (torn, NUL, not an object, no key, type or time). */
  readonly skipped: number;
}

/**
 * The local engine: DuckDB in memory, with a table `events` of every line of `<archiveDir>/dt=YYYY-MM-DD/*.jsonl`
 * (the partition `dt` read from the folder name, as Athena's projection reads it from the S3 prefix). The files are
 * read here, by the relay's own JSON-lines reader, and their lines handed to DuckDB: a line it cannot read is
 * skipped and counted rather than failing the report, and no part of the archive's path (which may hold `[ab]` or
 * `event_type=delivered`) is ever read by DuckDB as a glob or a column. An archive with no lines yet is an empty
 * table, so every query answers zeros rather than failing.
 */
export async function duckDbEngine(archiveDir: string): Promise<LocalQueryEngine> {
  // Loaded here: only the CLI and tests use DuckDB; nothing that deploys imports this file.
  const { DuckDBInstance } = require('@duckdb/node-api') as typeof import('@duckdb/node-api');
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // DuckDB 1.5.6 fails an internal assertion when this rewrite meets `row_number() … WHERE place <= 10` over a
  // filtered window; the plan without it gives the same rows.
  await connection.run("SET disabled_optimizers = 'top_n_window_elimination'");
  await connection.run('CREATE TABLE archived (line VARCHAR, dt VARCHAR)');
  const appender = await connection.createAppender('archived');
  let skipped = 0;
  for (const { path, day } of archiveFiles(archiveDir)) {
    const read = await readJsonLines(path, archivedEvent);
    skipped += read.skipped;
    for (const record of read.records) {
      appender.appendVarchar(JSON.stringify(record));
      appender.appendVarchar(day);
      appender.endRow();
    }
  }
  appender.closeSync();
  // Typed as the Glue table types them; a value of another type reads as NULL rather than failing the report.
  const structure = JSON.stringify(COLUMNS);
  await connection.run(
    `CREATE TABLE events AS SELECT e.*, dt FROM (SELECT json_transform(line, ${literal(structure)}) AS e, dt FROM archived)`,
  );
  await connection.run('DROP TABLE archived');
  return {
    skipped,
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
