/*
 * A reproducible mix of platform faults, played against the local relay, and an exact account of what became
 * of every (destination, event): shared by test/integration/fault-injection.test.ts and bench/faults.ts.
 */
export type { DestinationAccount, FaultMixReport } from './account';
export { buildEvents, duplicatePlan, scenarioDeck, seededRandom, type DuplicateTiming, type MixEvent } from './deck';
export { formatReport } from './format';
export { runFaultMix, type FaultMixOptions } from './run';
export {
  DEFAULT_MIX,
  EXPECTED_REASONS,
  expectedRetries,
  FAST_SETTINGS,
  RETRY_AFTER_MS,
  SCENARIO_NAMES,
  scenarios,
  type Expectation,
  type FaultMixSettings,
  type Scenario,
  type ScenarioName,
} from './scenarios';
