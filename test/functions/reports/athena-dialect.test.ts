/**
 * Every saved query as Athena receives it (`?` placeholders), parsed by a grammar of Trino's SQL, the engine behind
 * Athena's engine version 3: the same files DuckDB runs locally must also be valid there.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { athenaForm, QUERY_NAMES } from '../../../functions/reports/queries';
import { querySql } from '../../../functions/reports/local/query-files';

const GRAMMAR = join(__dirname, '../../support/trino-grammar.mts');

/** The problems Trino's grammar finds in each text, in order. */
function problems(texts: readonly string[]): string[][] {
  const out = execFileSync(process.execPath, ['--import', 'tsx', GRAMMAR], { input: JSON.stringify(texts) });
  return JSON.parse(out.toString('utf8')) as string[][];
}

describe("the report queries in Athena's dialect", () => {
  const queries = QUERY_NAMES.map((name) => athenaForm(querySql(name)));
  const controls = [
    // A list literal and QUALIFY run on DuckDB; Trino has ARRAY[...] and no QUALIFY.
    'SELECT [1, 2] AS xs FROM events',
    'SELECT key FROM events QUALIFY row_number() OVER (ORDER BY key) = 1',
    'SELECT ARRAY[1, 2] AS xs FROM events WHERE dt >= ?',
  ];
  const found = problems([...queries.map((q) => q.sql), ...controls]);

  test.each(QUERY_NAMES.map((name, i) => [name, i] as const))('%s parses as Trino SQL', (_name, i) => {
    expect(queries[i]!.parameters.length).toBeGreaterThan(0);
    expect(found[i]).toEqual([]);
  });

  test('the grammar refuses what only DuckDB accepts, and takes the Trino spelling', () => {
    const [list, qualify, array] = found.slice(queries.length);
    expect(list).not.toEqual([]);
    expect(qualify).not.toEqual([]);
    expect(array).toEqual([]);
  });
});
