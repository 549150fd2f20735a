import type { ParseArgsConfig } from 'node:util';
import { DEFAULT_STACK_NAME } from '../aws';
import { UsageError } from './errors';

/**
 * What a CLI command is: one file under cli/ exports one, and run-cli.ts lists them. The dispatcher parses the
 * command line against `options` and `positionals`, prints help, and maps errors to exit codes.
 */
export interface Command {
  /** What is typed after `paubox-relay`. */
  readonly name: string;
  readonly summary: string;
  /** Arguments after the command name, e.g. `<name> <url> [--stack <name>]`. */
  readonly usage: string;
  /** More lines of help. */
  readonly details: string;
  readonly options: CommandOptions;
  readonly positionals: { readonly min: number; readonly max: number };
  /** Resolves to the exit code; throws UsageError for a wrong command line, OpsError for a failure to explain. */
  run(positionals: string[], values: OptionValues, io: CliIo): Promise<number>;
}

/** Where the CLI reads and writes; the real process in `bin/paubox-relay.ts`, captured in tests. */
export interface CliIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly cwd: string;
  /** All of standard input, for `set-destination <name> -`. */
  readonly readStdin: () => Promise<string>;
  /** Resolves when the process is asked to stop (Ctrl-C, SIGTERM); `serve` then closes the relay. */
  readonly stopSignal: () => Promise<void>;
}

export type CommandOptions = NonNullable<ParseArgsConfig['options']>;
export type OptionValues = Record<string, string | boolean | undefined>;

/** Exit codes: 0 done, 1 failed, 2 the command line was wrong. */
export const FAILED = 1;
export const USAGE = 2;

/** The option and help text of every command that reads the deployed stack. */
export const STACK_OPTION: CommandOptions = { stack: { type: 'string' } };
export const AWS_NOTE =
  `  --stack <name>   the deployed stack (default ${DEFAULT_STACK_NAME})\n` +
  'Uses the standard AWS credential chain and region (AWS_PROFILE, AWS_REGION, ...).';

export const stackOf = (values: OptionValues): string =>
  typeof values.stack === 'string' ? values.stack : DEFAULT_STACK_NAME;

/** The value of a whole-number option, or `fallback` when it is not given. */
export function wholeNumber(values: OptionValues, option: string, fallback: number, min: number, max: number): number {
  const raw = values[option];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got "${String(raw)}"`);
  }
  return value;
}
