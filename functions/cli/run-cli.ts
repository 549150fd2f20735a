import { didYouMean } from '../config';
import { parseArgs } from 'node:util';
import { OpsError, DEFAULT_STACK_NAME, explainAwsError } from '../aws';
import { ConfigError } from '../config';
import { FAILED, USAGE, type CliIo, type Command, type OptionValues } from './command';
import { checkDestinationsCommand } from './check-destinations';
import { deadLettersCommand } from './dead-letters';
import { quarantineCommand } from './quarantine';
import { UsageError } from './errors';
import { initCommand } from './init';
import { redriveCommand } from './redrive';
import { reportCommand } from './report';
import { sendSampleCommand } from './send-sample';
import { serveCommand } from './serve';
import { setDestinationCommand } from './set-destination';
import { setPauboxKeyCommand } from './set-paubox-key';
import { silenceCommand } from './silence';
import { suppressionsCommand } from './suppressions';
import { fingerprintCommand } from './fingerprint';
import { testDestinationCommand } from './test-destination';
import { validateConfigCommand } from './validate-config';
import { verifyCommand } from './verify';
import { webhookUrlCommand } from './webhook-url';

export type { CliIo } from './command';

/** The commands, in the order the help lists them; each is one file of cli/. */
const COMMANDS: readonly Command[] = [
  initCommand,
  serveCommand,
  sendSampleCommand,
  validateConfigCommand,
  webhookUrlCommand,
  setDestinationCommand,
  setPauboxKeyCommand,
  testDestinationCommand,
  checkDestinationsCommand,
  deadLettersCommand,
  redriveCommand,
  quarantineCommand,
  reportCommand,
  silenceCommand,
  suppressionsCommand,
  fingerprintCommand,
  verifyCommand,
];

function overview(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'usage: npx paubox-relay <command> [arguments] [--help]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npx paubox-relay <command> --help` for its arguments.',
  ].join('\n');
}

function commandHelp(command: Command): string {
  return `usage: npx paubox-relay ${command.name} ${command.usage}\n${command.summary}.\n${command.details}`;
}

const commandNamed = (name: string | undefined): Command | undefined => COMMANDS.find((c) => c.name === name);

/** Runs one command line; resolves to the process exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const command = name === 'help' ? commandNamed(rest[0]) : undefined;
    (name === undefined ? io.err : io.out)(`${command ? commandHelp(command) : overview()}\n`);
    return name === undefined ? USAGE : 0;
  }
  const command = commandNamed(name);
  if (!command) {
    io.err(`paubox-relay: unknown command "${name}"\n\n${overview()}\n`);
    return USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${commandHelp(command)}\n`);
    return 0;
  }
  try {
    let parsed: ReturnType<typeof parseArgs>;
    try {
      parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      // Node's own text suggests `--` for positionals starting with '-', which no command here has.
      const unknown = /^Unknown option '([^']+)'/.exec((error as Error).message)?.[1];
      if (!unknown) throw new UsageError((error as Error).message);
      const options = Object.keys(command.options).map((o) => `--${o}`);
      throw new UsageError(`unknown option ${unknown}${didYouMean(unknown, options)}`);
    }
    const { positionals, values } = parsed;
    if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
      throw new UsageError(
        positionals.length < command.positionals.min
          ? 'missing argument(s)'
          : `unexpected argument "${positionals[command.positionals.max]}"`,
      );
    }
    return await command.run(positionals, values as OptionValues, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`paubox-relay ${name}: ${error.message}\n${commandHelp(command)}\n`);
      return USAGE;
    }
    const explained = explainAwsError(error, stackArgument(rest));
    const known = explained instanceof OpsError || explained instanceof ConfigError;
    io.err(`paubox-relay ${name}: ${known ? explained.message : `failed: ${explained.name}: ${explained.message}`}\n`);
    return FAILED;
  }
}

/** The `--stack` value of a command line, for error messages. */
function stackArgument(args: readonly string[]): string {
  const index = args.indexOf('--stack');
  const inline = args.find((a) => a.startsWith('--stack='));
  return inline?.slice('--stack='.length) ?? (index >= 0 ? args[index + 1] : undefined) ?? DEFAULT_STACK_NAME;
}
