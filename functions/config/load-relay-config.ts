import { readFileSync } from 'node:fs';
import { ConfigError } from './errors';
import { jsonSyntaxProblem } from './json-syntax';
import { parseRelayConfig } from './parse-relay-config';
import type { ConfigMode, DestinationUrlCheck, RelayConfig } from './relay-config';

/**
 * Reads and validates a configuration file, as {@link parseRelayConfig} does.
 *
 * @throws ConfigError when the file cannot be read, is not JSON, or does not validate
 */
export function loadRelayConfigFile(path: string, mode: 'deploy'): RelayConfig;
export function loadRelayConfigFile(path: string, mode: ConfigMode, checkUrl: DestinationUrlCheck): RelayConfig;
export function loadRelayConfigFile(path: string, mode: ConfigMode, checkUrl?: DestinationUrlCheck): RelayConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new ConfigError([`cannot read ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`]);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    const problem = jsonSyntaxProblem(text);
    throw new ConfigError([
      problem
        ? `${path} is not valid JSON: line ${problem.line}, column ${problem.column}: ${problem.message}`
        : `${path} is not valid JSON`,
    ]);
  }
  try {
    // The overloads above give a local mode its URL check.
    return mode === 'deploy' ? parseRelayConfig(json, mode) : parseRelayConfig(json, mode, checkUrl!);
  } catch (error) {
    if (error instanceof ConfigError) throw new ConfigError(error.problems.map((p) => `${path}: ${p}`));
    throw error;
  }
}
