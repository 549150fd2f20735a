/**
 * Fault-injection benchmark: plays a seeded mix of Slack and Teams faults (429, 500, 503, slow replies,
 * connection resets, revoked webhooks, archived channels) and repeated webhooks against the local relay,
 * all on 127.0.0.1, then accounts for every (destination, event).
 *
 *   npm run bench:faults [-- --events 500 --seed 20261120 --duplicates 0.1 --concurrency 20 --mix name=weight,…]
 *
 * Prints a table and writes it as JSON to bench/results/faults.json, then the fault mix of `npm run bench` (seed
 * 20261207, simulated clock): how soon the alerts that met no fault were visible. Exits 1 when an event was lost or
 * duplicated (or any other discrepancy was found) or a target of that figure was missed, 2 when the run did not
 * finish within its time limit.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_MIX,
  FAST_SETTINGS,
  formatReport,
  runFaultMix,
  SCENARIO_NAMES,
  type FaultMixReport,
  type ScenarioName,
} from '../test/support/fault-mix';
import { DEFAULT_RETRY_POLICY } from '../functions/delivery';
import { faultMixFigure, faultMixLines, faultMixTargets } from './fault-latency';
import { runBench, writeResults } from './results';

const TIME_LIMIT_MS = 180_000;

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      events: { type: 'string', default: '500' },
      seed: { type: 'string', default: '20261120' },
      duplicates: { type: 'string', default: '0.1' },
      concurrency: { type: 'string', default: '20' },
      /** Scenario weights over DEFAULT_MIX, e.g. `--mix rate_limited_at_receive_end=5,ok=10`. */
      mix: { type: 'string', default: '' },
    },
  });
  const mix: Partial<Record<ScenarioName, number>> = { ...DEFAULT_MIX };
  for (const part of values.mix.split(',').filter(Boolean)) {
    const [name, weight] = part.split('=');
    if (!SCENARIO_NAMES.includes(name as ScenarioName) || !Number.isFinite(Number(weight)) || Number(weight) < 0) {
      console.error(`--mix: expected name=weight with a name among ${SCENARIO_NAMES.join(', ')}`);
      return 2;
    }
    mix[name as ScenarioName] = Number(weight);
  }
  const events = Number(values.events);
  const seed = Number(values.seed);
  const duplicateRate = Number(values.duplicates);
  const concurrency = Number(values.concurrency);
  if (![events, seed, duplicateRate, concurrency].every(Number.isFinite) || events < 1 || concurrency < 1) {
    console.error('usage: bench:faults [--events N] [--seed N] [--duplicates 0..1] [--concurrency N]');
    return 2;
  }

  let report: FaultMixReport;
  try {
    report = await runFaultMix({
      events,
      seed,
      duplicateRate,
      concurrency,
      mix,
      settings: FAST_SETTINGS,
      timeLimitMs: TIME_LIMIT_MS,
    });
  } catch (error) {
    console.error(`bench:faults did not complete: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }

  console.log(formatReport(report));
  const { retryPolicy: p, maxReceiveCount } = FAST_SETTINGS;
  console.log(
    `clocks shortened to fit the run: backoff ${p.baseDelayMs} ms doubling to ${p.maxDelayMs} ms (in production ` +
      `${DEFAULT_RETRY_POLICY.baseDelayMs / 1000} s to ${DEFAULT_RETRY_POLICY.maxDelayMs / 1000} s), ` +
      `${maxReceiveCount} tries as in production`,
  );
  // The seeded mix of `npm run bench` on a simulated clock, with the production clocks: fault-free alerts' latency.
  const figure = await faultMixFigure();
  const checks = faultMixTargets(figure);
  console.log(
    ['', ...faultMixLines(figure), ...checks.map((c) => `  ${c.ok ? 'ok' : 'MISSED'}: ${c.target}`)].join('\n'),
  );
  writeResults('faults', { ...report, faultMix: figure });

  const { lost, duplicated } = report.totals;
  if (lost > 0 || duplicated > 0) {
    console.error(`FAIL: ${lost} lost, ${duplicated} duplicated`);
    return 1;
  }
  if (report.problems.length > 0) {
    console.error(`FAIL: ${report.problems.length} discrepancies`);
    return 1;
  }
  const missed = checks.filter((c) => !c.ok);
  if (missed.length > 0) {
    console.error(`FAIL: ${missed.length} target(s) missed: ${missed.map((c) => c.target).join('; ')}`);
    return 1;
  }
  return 0;
}

runBench(main);
