import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import {
  DEFAULT_END_TO_END_DELAY_SECONDS,
  loadRelayConfigFile,
  unroutedDestinations,
  type ConfigMode,
} from '../config/relay-config';
import { summarizeDeadLetters } from '../delivery/dead-letters/dead-letter';
import { ConfigError } from '../errors';
import { textLogger } from '../observability/logger';
import { filterClauses, filterPolicyFor } from '../routing/filter-policy';
import { FileDeadLetterStore } from '../delivery/dead-letters/file-store';
import { DEFAULT_LOCAL_TOKEN, DEFAULT_PORT, localSettings } from '../local/settings';
import { startLocalRelay } from '../local/relay-server';
import { deployedDeadLetters } from './deployed-dead-letters';
import { redriveDestination } from './redrive';
import { isSampleName, postSample, sampleBody, SAMPLES } from './send-sample';
import { setDestinationUrl } from './set-destination';
import { DEFAULT_STACK_NAME, explainAwsError, OpsError } from '../aws/stack-outputs';
import { sendTestAlert } from './test-destination';
import { deployedWebhookUrl } from './webhook-url';
import { reportCommand } from './report';
import { UsageError } from './usage-error';

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

export type Options = NonNullable<ParseArgsConfig['options']>;
export type Values = Record<string, string | boolean | undefined>;

export interface Command {
  readonly summary: string;
  /** Arguments after the command name, e.g. `<name> <url> [--stack <name>]`. */
  readonly usage: string;
  /** More lines of help. */
  readonly details: string;
  readonly options: Options;
  readonly positionals: { readonly min: number; readonly max: number };
  run(positionals: string[], values: Values, io: CliIo): Promise<number>;
}

/** Exit codes: 0 done, 1 failed, 2 the command line was wrong. */
const FAILED = 1;
const USAGE = 2;

const STACK_OPTION: Options = { stack: { type: 'string' } };
const AWS_NOTE =
  `  --stack <name>   the deployed stack (default ${DEFAULT_STACK_NAME})\n` +
  'Uses the standard AWS credential chain and region (AWS_PROFILE, AWS_REGION, ...).';

const stackOf = (values: Values): string => (typeof values.stack === 'string' ? values.stack : DEFAULT_STACK_NAME);

function wholeNumber(values: Values, option: string, fallback: number, min: number, max: number): number {
  const raw = values[option];
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw) || value < min || value > max) {
    throw new UsageError(`--${option} must be a whole number from ${min} to ${max}, got "${String(raw)}"`);
  }
  return value;
}


const COMMANDS: Readonly<Record<string, Command>> = {
  serve: {
    summary: 'run the relay on this machine (same ingest, routing and senders as in AWS)',
    usage: '[--port <n>] [--host <address>] [--config <path>]',
    details:
      `  --port     port on the host (default $PORT or ${DEFAULT_PORT}; 0 picks a free one)\n` +
      '  --host     address to listen on (default $HOST or 127.0.0.1)\n' +
      '  --config   relay configuration (default $RELAY_CONFIG, else ./relay.config.json if present, else built in)\n' +
      'Also reads RELAY_TOKEN, RELAY_SIGNING_SECRET, RELAY_FINGERPRINT_KEY and RELAY_DATA_DIR (see the README). Stops on Ctrl-C.',
    options: { port: { type: 'string' }, host: { type: 'string' }, config: { type: 'string' } },
    positionals: { min: 0, max: 0 },
    async run(_positionals, values, io) {
      const env = {
        ...io.env,
        ...(typeof values.port === 'string' ? { PORT: values.port } : {}),
        ...(typeof values.host === 'string' ? { HOST: values.host } : {}),
        ...(typeof values.config === 'string' ? { RELAY_CONFIG: resolve(io.cwd, values.config) } : {}),
      };
      const settings = localSettings(env, io.cwd);
      const relay = await startLocalRelay({ ...settings, logger: textLogger(io.err), write: io.out });
      const lines = [
        `Paubox alert relay (local) listening on ${relay.baseUrl}`,
        `Webhook URL: ${relay.webhookUrl}`,
        `Config: ${settings.configSource}`,
        'Destinations:',
        ...relay.destinations.map((d) => {
          const events = [...new Set(filterClauses(d.policy).flatMap((c) => c.event_type))].join(', ');
          const window = d.digest.windowSeconds > 0 ? `, digests every ${d.digest.windowSeconds} s` : '';
          return `  ${d.name} (${d.sender.kind}, detail ${d.detail}${window}) <- ${events}`;
        }),
        `Try: npx paubox-relay send-sample permanent_failure${settings.port === DEFAULT_PORT ? '' : ` --url ${relay.webhookUrl}`}`,
      ];
      io.out(`${lines.join('\n')}\n`);
      await io.stopSignal();
      await relay.close();
      return 0;
    },
  },

  'send-sample': {
    summary: 'post a sample Paubox webhook to the local relay or to --url',
    usage: `<${SAMPLES.join('|')}> [--url <webhook url>] [--as-is]`,
    details:
      '  --url     where to post (default the local relay: http://127.0.0.1:$PORT/paubox/$RELAY_TOKEN)\n' +
      '  --as-is   post the sample byte for byte; by default it gets a fresh id and time, so each run is a new event\n' +
      'Signs the request (Standard Webhooks headers) when RELAY_SIGNING_SECRET holds a whsec_ secret.\n' +
      'Prints the status and body of the answer; exits 1 unless it is 2xx.',
    options: { url: { type: 'string' }, 'as-is': { type: 'boolean' } },
    positionals: { min: 1, max: 1 },
    async run([name], values, io) {
      if (!name || !isSampleName(name)) throw new UsageError(`unknown sample "${name}"; choose one of ${SAMPLES.join(', ')}`);
      const url =
        typeof values.url === 'string'
          ? values.url
          : `http://127.0.0.1:${io.env.PORT ?? DEFAULT_PORT}/paubox/${io.env.RELAY_TOKEN ?? DEFAULT_LOCAL_TOKEN}`;
      const reply = await postSample(url, sampleBody(name, values['as-is'] === true), undefined, io.env.RELAY_SIGNING_SECRET || undefined);
      io.out(`${reply.status} ${reply.body}\n`);
      return reply.status >= 200 && reply.status < 300 ? 0 : FAILED;
    },
  },

  'validate-config': {
    summary: 'check a relay configuration and show what it deploys',
    usage: '[path] [--local]',
    details:
      '  path      the configuration file (default ./relay.config.json)\n' +
      '  --local   check it for the local relay (inline "url"s required) instead of for deploying (URLs refused)\n' +
      'Lists every problem at once, with the path of the field and what to change; exits 1 if there is one.',
    options: { local: { type: 'boolean' } },
    positionals: { min: 0, max: 1 },
    async run([path], values, io) {
      const file = resolve(io.cwd, path ?? 'relay.config.json');
      if (path === undefined && !existsSync(file)) {
        throw new OpsError(
          `no relay.config.json in ${io.cwd}; pass a path (without one, the stack deploys the built-in default: ` +
            'one destination, "alerts", for both failure types)',
        );
      }
      const mode: ConfigMode = values.local === true ? 'local' : 'deploy';
      const config = loadRelayConfigFile(file, mode);
      const unrouted = new Set(unroutedDestinations(config));
      const lines = [`${file} is valid for ${mode === 'local' ? 'the local relay' : 'deploying'}.`, 'Destinations:'];
      for (const d of config.destinations) {
        const policy = filterPolicyFor(d.name, config.routes);
        const events = policy ? [...new Set(filterClauses(policy).flatMap((c) => c.event_type))].join(', ') : '';
        const note =
          d.kind === 'console' && mode === 'deploy'
            ? ' (console: local relay only, not deployed)'
            : unrouted.has(d.name)
              ? ' (no route names it: not deployed; add it to a route\'s "to" or remove it)'
              : ` <- ${events}`;
        lines.push(`  ${d.name}: ${d.kind ?? 'slack or teams, from the stored URL'}, detail ${d.detail}${note}`);
      }
      const alarms = config.alarms ?? {};
      const targets = [
        ...(alarms.email !== undefined ? [`e-mail ${alarms.email}`] : []),
        ...(alarms.topicArn !== undefined ? [`topic ${alarms.topicArn}`] : []),
      ];
      lines.push(
        `Alarms: ${targets.length > 0 ? `notify ${targets.join(' and ')}` : 'no actions (add "alarms": {"email": ...} to be told)'}; ` +
          `end-to-end delay alarm above ${alarms.endToEndDelaySeconds ?? DEFAULT_END_TO_END_DELAY_SECONDS} s`,
      );
      io.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },

  'webhook-url': {
    summary: 'print the full webhook URL to paste into Paubox (reads the token secret)',
    usage: '[--stack <name>]',
    details: `${AWS_NOTE}\nThe URL holds the token, the only key to the endpoint: keep it like a password.`,
    options: STACK_OPTION,
    positionals: { min: 0, max: 0 },
    async run(_positionals, values, io) {
      const url = await deployedWebhookUrl(stackOf(values), {
        cloudFormation: new CloudFormationClient({}),
        secrets: new SecretsManagerClient({}),
      });
      io.out(`${url}\n`);
      io.err('This URL is a credential: paste it into the Paubox dashboard only.\n');
      return 0;
    },
  },

  'set-destination': {
    summary: "check a Slack or Teams webhook URL, then store it in the destination's secret",
    usage: '<name> <url | -> [--stack <name>]',
    details:
      '  <url>   the webhook URL Slack or Teams Workflows gave you; "-" reads it from standard input,\n' +
      '          which keeps it out of your shell history\n' +
      `${AWS_NOTE}\nThe URL is never printed. Running notifiers read the new value within 5 minutes.`,
    options: STACK_OPTION,
    positionals: { min: 2, max: 2 },
    async run([name, given], values, io) {
      const url = given === '-' ? (await io.readStdin()).trim() : given!;
      if (url === '') throw new UsageError('no URL on standard input');
      const result = await setDestinationUrl(name!, url, stackOf(values), {
        cloudFormation: new CloudFormationClient({}),
        secrets: new SecretsManagerClient({}),
      });
      io.out(
        `Stored the ${result.kind === 'slack' ? 'Slack' : 'Teams Workflows'} webhook URL of "${name}" in secret ` +
          `${result.secretName}.\nNotifiers pick it up within 5 minutes; then check it with: npx paubox-relay test-destination ${name}\n`,
      );
      return 0;
    },
  },

  'test-destination': {
    summary: 'send a clearly labelled test alert through the deployed notifier to a destination',
    usage: '<name> [--wait <seconds>] [--stack <name>]',
    details:
      '  --wait   how long to wait for the notifier to post it (default 60; 0 only queues it)\n' +
      `${AWS_NOTE}\nThe alert is titled "Test alert" and holds no real address. Exits 1 unless it was posted.`,
    options: { ...STACK_OPTION, wait: { type: 'string' } },
    positionals: { min: 1, max: 1 },
    async run([name], values, io) {
      const waitSeconds = wholeNumber(values, 'wait', 60, 0, 900);
      const result = await sendTestAlert(
        name!,
        stackOf(values),
        { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}), dynamodb: new DynamoDBClient({}) },
        { waitMs: waitSeconds * 1000 },
      );
      const seconds = (result.elapsedMs / 1000).toFixed(1);
      switch (result.outcome) {
        case 'queued':
          io.out(`Test alert ${result.eventKey} queued for "${name}".\n`);
          return 0;
        case 'posted':
          io.out(`Test alert posted to "${name}" in ${seconds} s: look for "Test alert" in the channel.\n`);
          return 0;
        case 'dead_lettered':
          io.err(
            `The notifier could not post the test alert to "${name}" and dead-lettered it.\n` +
              `See why: npx paubox-relay dead-letters ${name}; fix the URL: npx paubox-relay set-destination ${name} <url>\n`,
          );
          return FAILED;
        case 'timed_out':
          io.err(
            `No verdict on the test alert after ${seconds} s: the notifier may be retrying (a 5xx or a rate limit) or ` +
              `unable to read its secret. See the "${name}" row of the relay dashboard and the notifier's log group ` +
              `(event key ${result.eventKey}).\n`,
          );
          return FAILED;
      }
    },
  },

  'dead-letters': {
    summary: "count a destination's dead letters by reason (no PHI)",
    usage: '[name] [--local] [--max <n>] [--stack <name>]',
    details:
      '  --local   read the local relay\'s dead letters ($RELAY_DATA_DIR, default ./.relay-data); name optional\n' +
      '  --max     at most this many deployed dead letters are read for their reasons (default 100)\n' +
      `${AWS_NOTE}\nShows reasons, event types, keys and times; never a body. Nothing is deleted.`,
    options: { ...STACK_OPTION, local: { type: 'boolean' }, max: { type: 'string' } },
    positionals: { min: 0, max: 1 },
    async run([name], values, io) {
      if (values.local === true) return localDeadLetters(name, io);
      if (name === undefined) throw new UsageError('name the destination (or use --local)');
      const max = wholeNumber(values, 'max', 100, 1, 10_000);
      const report = await deployedDeadLetters(
        name,
        stackOf(values),
        { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}) },
        max,
      );
      if (report.approximateCount === 0) {
        io.out(`no dead letters for ${name}${report.inFlight > 0 ? ` (${report.inFlight} being moved or read)` : ''}\n`);
        return 0;
      }
      const lines = [`${name}: about ${report.approximateCount} dead letter(s); reasons of the ${report.letters.length} read:`];
      for (const [reason, count] of Object.entries(report.byReason)) lines.push(`  ${reason}: ${count}`);
      lines.push('latest:');
      for (const l of report.letters.slice(-10)) {
        lines.push(`  ${l.failedAt} ${l.eventType} key ${l.eventKey} (${l.reason}${l.status !== undefined ? `, HTTP ${l.status}` : ''})`);
      }
      lines.push(`Fix the cause (see the README runbook), then: npx paubox-relay redrive ${name}`);
      io.out(`${lines.join('\n')}\n`);
      return 0;
    },
  },

  redrive: {
    summary: "move a destination's dead letters back to its queue, once the channel is fixed",
    usage: '<name> [--stack <name>]',
    details: `${AWS_NOTE}\nAlerts that were already posted are skipped by the notifier.`,
    options: STACK_OPTION,
    positionals: { min: 1, max: 1 },
    async run([name], values, io) {
      const result = await redriveDestination(name!, stackOf(values), {
        cloudFormation: new CloudFormationClient({}),
        sqs: new SQSClient({}),
      });
      io.out(
        result.messages === 0
          ? `no dead letters for ${name}\n`
          : `moving about ${result.messages} dead letter(s) of ${name} back to its queue (task ${result.taskHandle ?? 'started'})\n`,
      );
      return 0;
    },
  },
  report: reportCommand,
};

async function localDeadLetters(destination: string | undefined, io: CliIo): Promise<number> {
  const dataDir = io.env.RELAY_DATA_DIR || resolve(io.cwd, '.relay-data');
  const letters = await new FileDeadLetterStore(dataDir).list(destination);
  if (letters.length === 0) {
    io.out(`no dead letters${destination ? ` for ${destination}` : ''} in ${dataDir}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const name of [...new Set(letters.map((l) => l.destination))].sort()) {
    const mine = letters.filter((l) => l.destination === name);
    lines.push(`${name}: ${mine.length} dead letter(s)`);
    for (const [reason, count] of Object.entries(summarizeDeadLetters(mine))) lines.push(`  ${reason}: ${count}`);
    for (const l of mine.slice(-10)) lines.push(`    ${l.failedAt} ${l.eventType} key ${l.eventKey} (${l.reason})`);
  }
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

function overview(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((c) => c.length));
  return [
    'usage: npx paubox-relay <command> [arguments] [--help]',
    '',
    'Commands:',
    ...Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `npx paubox-relay <command> --help` for its arguments.',
  ].join('\n');
}

function commandHelp(name: string, command: Command): string {
  return `usage: npx paubox-relay ${name} ${command.usage}\n${command.summary}.\n${command.details}`;
}

/** Runs one command line; resolves to the process exit code. Never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const command = topic !== undefined ? COMMANDS[topic] : undefined;
    (name === undefined ? io.err : io.out)(`${command ? commandHelp(topic!, command) : overview()}\n`);
    return name === undefined ? USAGE : 0;
  }
  const command = Object.hasOwn(COMMANDS, name) ? COMMANDS[name] : undefined;
  if (!command) {
    io.err(`paubox-relay: unknown command "${name}"\n\n${overview()}\n`);
    return USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(`${commandHelp(name, command)}\n`);
    return 0;
  }
  try {
    let parsed;
    try {
      parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new UsageError((error as Error).message);
    }
    const { positionals, values } = parsed;
    if (positionals.length < command.positionals.min || positionals.length > command.positionals.max) {
      throw new UsageError(
        positionals.length < command.positionals.min ? 'missing argument(s)' : `unexpected argument "${positionals[command.positionals.max]}"`,
      );
    }
    return await command.run(positionals, values as Values, io);
  } catch (error) {
    if (error instanceof UsageError) {
      io.err(`paubox-relay ${name}: ${error.message}\n${commandHelp(name, command)}\n`);
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
