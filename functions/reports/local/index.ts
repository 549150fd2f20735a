/**
 * What runs reports on this machine: the SQL files read from disk and the DuckDB engine. A face of its own, apart from
 * reports/, because no Lambda may carry DuckDB or read the SQL files (test/lib/record-bundles.test.ts).
 */
export { duckDbEngine } from './duckdb-engine';
export { querySql } from './query-files';
