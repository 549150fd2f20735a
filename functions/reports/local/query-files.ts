import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { QUERY_NAMES, type QueryName } from '../queries';

/** The folder of the `.sql` files; read by the CLI, the local engine and the construct (never bundled). */
export const QUERIES_DIR = join(__dirname, '..', 'queries');

/** The SQL text of one query, as written. */
export function querySql(name: QueryName): string {
  return readFileSync(join(QUERIES_DIR, `${name}.sql`), 'utf8');
}

/** Every query's SQL text, by name. */
export function allQuerySql(): Record<QueryName, string> {
  return Object.fromEntries(QUERY_NAMES.map((name) => [name, querySql(name)])) as Record<QueryName, string>;
}
