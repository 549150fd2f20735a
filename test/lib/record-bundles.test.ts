import * as os from 'node:os';
import * as path from 'node:path';
import { build } from 'esbuild';
import {
  APP_LAMBDA_ENTRIES,
  esbuildOptionsFor,
  LAMBDA_ENTRIES,
  lambdaBundling,
  RECORD_LAMBDA_ENTRIES,
} from '../../lib/bundling';

/**
 * DuckDB is the local engine only: a native package of tens of megabytes that no Lambda may carry. Nor may a Lambda
 * read the `.sql` files at run time (they are not in its bundle): the report function reads the saved named queries.
 */
describe('what the Lambda bundles hold', () => {
  it.each(Object.entries({ ...LAMBDA_ENTRIES, ...RECORD_LAMBDA_ENTRIES, ...APP_LAMBDA_ENTRIES }))(
    '%s bundles neither DuckDB nor the SQL files',
    async (name, entry) => {
      const outfile = path.join(os.tmpdir(), `record-bundles-${process.pid}`, name, 'index.js');
      const result = await build({
        ...esbuildOptionsFor(entry, lambdaBundling(22), outfile),
        write: false,
        metafile: true,
      });
      const inputs = Object.keys(result.metafile!.inputs);
      expect(inputs.length).toBeGreaterThan(1);
      expect(inputs.filter((i) => /duckdb|query-files/.test(i))).toEqual([]);
      expect(result.outputFiles![0]!.text).not.toContain('@duckdb/node-api');
    },
  );
});

/**
 * Handlers import other concerns through their faces (`index.ts`), which re-export far more than one handler uses;
 * package.json's `sideEffects` lets esbuild leave the rest out. Zod is the sign: the config face re-exports its schema,
 * built when its module loads, yet only the ingest consumer, which parses webhooks, may carry zod.
 */
it('leaves out of each Lambda bundle what a face re-exports and the function does not use', async () => {
  const entries = Object.entries({ ...LAMBDA_ENTRIES, ...RECORD_LAMBDA_ENTRIES, ...APP_LAMBDA_ENTRIES });
  const withZod: string[] = [];
  for (const [name, entry] of entries) {
    const outfile = path.join(os.tmpdir(), `record-bundles-${process.pid}`, name, 'index.js');
    const result = await build({
      ...esbuildOptionsFor(entry, lambdaBundling(22), outfile),
      write: false,
      metafile: true,
    });
    const output = Object.values(result.metafile!.outputs)[0]!;
    const used = Object.entries(output.inputs).filter(([, { bytesInOutput }]) => bytesInOutput > 0);
    if (used.some(([input]) => input.includes('node_modules/zod/'))) withZod.push(name);
  }
  expect(entries.length).toBeGreaterThan(5);
  expect(withZod).toEqual(['ingest']);
});
