import type { QueryName, QueryParameters } from './queries';

/** A result row: every value as text (Athena's form), or null. */
export type Row = Readonly<Record<string, string | null>>;

/** Runs the named queries over an archive: DuckDB locally, Athena deployed. */
export interface QueryEngine {
  run(name: QueryName, parameters: QueryParameters): Promise<Row[]>;
  close?(): Promise<void> | void;
}
