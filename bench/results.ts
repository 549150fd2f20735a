import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Where every bench writes its JSON (gitignored). */
export const RESULTS_DIR = path.join(__dirname, 'results');

/** Writes `data` as `bench/results/<name>.json` and says where. */
export function writeResults(name: string, data: unknown): void {
  mkdirSync(RESULTS_DIR, { recursive: true });
  const file = path.join(RESULTS_DIR, `${name}.json`);
  writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  console.log(`\nwritten to ${file}`);
}

/** Runs a bench's `main` and exits with its code: 0 targets met, 1 missed, 2 the run itself failed. */
export function runBench(main: () => Promise<number>): void {
  main().then(
    (code) => process.exit(code),
    (error: unknown) => {
      console.error(error);
      process.exit(2);
    },
  );
}
