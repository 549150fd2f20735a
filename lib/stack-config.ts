import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { Construct } from 'constructs';
import {
  DEFAULT_DEPLOY_CONFIG,
  loadRelayConfigFile,
  parseRelayConfig,
  type RelayConfig,
  ConfigError,
} from '../functions/config';

/** The file read when no `-c config=<path>` is given, relative to the working directory. */
export const DEFAULT_CONFIG_FILE = 'relay.config.json';

/**
 * The relay configuration to deploy, validated in `deploy` mode (inline URLs are refused).
 * Read from the `config` context value (`cdk synth -c config=path/to/file.json`; an object is taken as the
 * configuration itself), else from `relay.config.json` in the working directory when it exists,
 * else {@link DEFAULT_DEPLOY_CONFIG}.
 *
 * @throws StackConfigError listing every problem and what to change, when the configuration does not validate
 */
export function loadStackConfig(scope: Construct, cwd: string = process.cwd()): RelayConfig {
  const fromContext: unknown = scope.node.tryGetContext('config');
  const defaultFile = path.resolve(cwd, DEFAULT_CONFIG_FILE);
  let source: string;
  let load: () => RelayConfig;
  if (typeof fromContext === 'string') {
    source = `context config=${fromContext}`;
    load = () => loadRelayConfigFile(path.resolve(cwd, fromContext), 'deploy');
  } else if (fromContext !== undefined) {
    source = 'the context value "config"';
    load = () => parseRelayConfig(fromContext, 'deploy');
  } else if (existsSync(defaultFile)) {
    source = defaultFile;
    load = () => loadRelayConfigFile(defaultFile, 'deploy');
  } else {
    source = 'the built-in default configuration';
    load = () => parseRelayConfig(DEFAULT_DEPLOY_CONFIG, 'deploy');
  }
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    throw new StackConfigError(error.problems, source);
  }
}

/** A configuration that cannot deploy; `bin/app.ts` prints its message alone and exits 1, without a stack trace. */
export class StackConfigError extends ConfigError {
  constructor(
    problems: readonly string[],
    public readonly source: string,
  ) {
    super(problems);
    this.message += `
(configuration read from ${source}; fix it there, or name another file with -c config=...)`;
  }
}
