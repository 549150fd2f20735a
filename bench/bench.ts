/**
 * Performance benchmark of the relay's Lambda functions and of the local relay, compared in the same run with
 * bare handlers that do the least such a function could do.
 *
 *   npm run bench [-- --cold-runs 20 --warm-events 1000 --e2e-requests 500 --e2e-concurrency 50
 *                     --e2e-kind slack|teams --e2e-destination '{"…": …}' --destination '{"…": …}']
 *
 * Prints one table and writes every figure to bench/results/bench.json. Exits 1 when a target is missed (and says
 * which), 2 when the run could not be completed. See docs/performance.md for the method.
 */
import { parseArgs } from 'node:util';
import { CHAT_KINDS, isChatKind } from '../functions/chat';
import { DEFAULT_ASSUMPTIONS, PRICES } from './cost';
import { BenchError } from './processes';
import { formatReport, type BenchReport } from './report';
import { runBench, writeResults } from './results';
import { run } from './run';
import { EVERYDAY_DESTINATION } from './setup';

/** A whole run must finish within this; `npm run bench` is meant to take well under 3 minutes. */
const TIME_LIMIT_MS = 170_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      'cold-runs': { type: 'string', default: '20' },
      'warm-events': { type: 'string', default: '1000' },
      'e2e-requests': { type: 'string', default: '500' },
      'e2e-concurrency': { type: 'string', default: '50' },
      'e2e-kind': { type: 'string', default: 'slack' },
      /** JSON merged into the end-to-end destination of the local relay, e.g. to leave out pacing. */
      'e2e-destination': { type: 'string', default: EVERYDAY_DESTINATION },
      /** JSON merged into the deployed destination whose notifier is measured. */
      destination: {
        type: 'string',
        default: EVERYDAY_DESTINATION,
      },
    },
  });
  const numbers = {
    coldRuns: Number(values['cold-runs']),
    warmEvents: Number(values['warm-events']),
    e2eRequests: Number(values['e2e-requests']),
    e2eConcurrency: Number(values['e2e-concurrency']),
  };
  const kind = values['e2e-kind'];
  const jsonObject = (text: string): Record<string, unknown> | undefined => {
    try {
      const value = JSON.parse(text) as unknown;
      return typeof value === 'object' && value !== null && !Array.isArray(value)
        ? (value as Record<string, unknown>)
        : undefined;
    } catch {
      return undefined;
    }
  };
  const e2eDestination = jsonObject(values['e2e-destination']);
  const destination = jsonObject(values.destination);
  if (
    !Object.values(numbers).every((n) => Number.isInteger(n) && n > 0) ||
    numbers.coldRuns < 20 ||
    !isChatKind(kind) ||
    e2eDestination === undefined ||
    destination === undefined
  ) {
    console.error(
      'usage: npm run bench [-- --cold-runs N≥20 --warm-events N --e2e-requests N --e2e-concurrency N ' +
        `--e2e-kind ${CHAT_KINDS.join('|')} ` +
        '--e2e-destination JSON-object --destination JSON-object]',
    );
    return 2;
  }

  let timer: NodeJS.Timeout | undefined;
  let report: BenchReport;
  try {
    report = await Promise.race([
      run({ ...numbers, e2eKind: kind, e2eDestination, destination }),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new BenchError(
                `the run took longer than ${TIME_LIMIT_MS / 1000} s. The notifier posts thousands of alerts to one destination: ` +
                  "if it paces its posts, leave the pacing out with --destination '{…}'",
              ),
            ),
          TIME_LIMIT_MS,
        );
      }),
    ]);
  } catch (error) {
    console.error(`bench did not complete: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  } finally {
    clearTimeout(timer);
  }

  console.log(formatReport(report));
  writeResults('bench', { ...report, prices: PRICES, defaultAssumptions: DEFAULT_ASSUMPTIONS });
  const missed = report.checks.filter((c) => !c.ok);
  if (missed.length > 0) {
    console.error(`FAIL: ${missed.length} target(s) missed: ${missed.map((c) => c.target).join('; ')}`);
    return 1;
  }
  return 0;
}

runBench(main);
