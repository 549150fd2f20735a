import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type DeployedDestination, OpsError, deployedDestination, readStackOutputs } from '../aws';
import {
  type ChatKind,
  checkDestinationUrl,
  isChatKind,
  PLATFORMS,
  readSlackAppSecret,
  type SlackAppSecretField,
} from '../chat';
import { DestinationUrlError } from '../config';
import { AWS_NOTE, STACK_OPTION, stackOf, type Command, type OptionValues } from './command';
import { UsageError } from './errors';

export interface SetDestinationClients {
  readonly cloudFormation: CloudFormationClient;
  readonly secrets: SecretsManagerClient;
}

export interface SetDestinationResult {
  readonly secretName: string;
  /** What was stored, as the command's output names it: "Slack webhook URL", "Slack app bot token". */
  readonly stored: string;
}

/**
 * The fields of a Slack app's secret that `set-destination` writes, each from a flag whose value is `-` (standard
 * input, so that it stays out of the shell history and argv): the flag, the field, what a value must look like.
 */
export const APP_SECRET_FLAGS: readonly {
  readonly flag: string;
  readonly field: SlackAppSecretField;
  readonly what: string;
  readonly valid: RegExp;
}[] = [
  { flag: 'bot-token', field: 'botToken', what: 'a bot token (xoxb-…)', valid: /^xoxb-[A-Za-z0-9-]{8,}$/ },
  // Slack shows it under Basic Information → App Credentials: letters and digits, 32 of them today.
  {
    flag: 'signing-secret',
    field: 'signingSecret',
    what: "a signing secret (the app's Signing Secret, letters and digits)",
    valid: /^[A-Za-z0-9]{16,128}$/,
  },
];

/** What is stored in a destination's secret: a webhook URL, or fields of a Slack app's JSON. */
export type SecretChange =
  | { readonly url: string }
  | { readonly fields: Readonly<Partial<Record<SlackAppSecretField, string>>> };

/**
 * Writes a destination's secret, after the checks the notifier applies: a webhook URL must belong to the platform
 * the configuration names (and a Slack app takes none); a Slack app's fields are merged into the JSON its secret
 * holds, so that storing the bot token keeps the signing secret and the other way round. Errors name the host at
 * most, never a path, a query or a token.
 */
export async function setDestinationSecret(
  name: string,
  change: SecretChange,
  stackName: string,
  clients: SetDestinationClients,
): Promise<SetDestinationResult> {
  const destination = deployedDestination(await readStackOutputs(clients.cloudFormation, stackName), name, stackName);
  const { secretName } = destination;
  const put = (SecretString: string) =>
    clients.secrets.send(new PutSecretValueCommand({ SecretId: secretName, SecretString }));
  if ('url' in change) {
    const kind = checkedUrl(destination, change.url);
    await put(change.url.trim());
    return { secretName, stored: `${PLATFORMS[kind].label} webhook URL` };
  }
  if (destination.channel === undefined) {
    throw new OpsError(
      `destination "${name}" posts to a webhook: a Slack app's credentials are for a destination with a "channel" ` +
        `(docs/slack-app.md); nothing was stored. Store its webhook URL with: npx paubox-relay set-destination ${name} -`,
    );
  }
  const { SecretString } = await clients.secrets.send(new GetSecretValueCommand({ SecretId: secretName }));
  await put(JSON.stringify({ ...readSlackAppSecret(SecretString ?? ''), ...change.fields }));
  const names = APP_SECRET_FLAGS.filter((f) => change.fields[f.field] !== undefined).map((f) =>
    f.flag.replace('-', ' '),
  );
  return { secretName, stored: `Slack app ${names.join(' and ')}` };
}

function checkedUrl(destination: DeployedDestination, url: string): ChatKind {
  if (destination.channel !== undefined) {
    throw new OpsError(
      `destination "${destination.name}" posts as a Slack app (it has a "channel") and takes no webhook URL; ` +
        `nothing was stored. Store its bot token with: npx paubox-relay set-destination ${destination.name} --bot-token -`,
    );
  }
  const configured = isChatKind(destination.kind) ? destination.kind : undefined;
  try {
    return checkDestinationUrl(url, { kind: configured, allowLoopbackHttp: false });
  } catch (error) {
    if (error instanceof DestinationUrlError) throw new OpsError(`the URL ${error.message}; nothing was stored`);
    throw error;
  }
}

/** The app fields the flags ask for, each read from standard input; one flag a run, as standard input is one. */
async function appFields(values: OptionValues, readStdin: () => Promise<string>): Promise<SecretChange | undefined> {
  const given = APP_SECRET_FLAGS.filter((f) => values[f.flag] !== undefined);
  if (given.length === 0) return undefined;
  if (given.length > 1) throw new UsageError(`give one of ${given.map((f) => `--${f.flag}`).join(', ')} a run`);
  const { flag, field, what, valid } = given[0]!;
  // Never from argv, where it would stay in the shell history and show in the process list.
  if (values[flag] !== '-') throw new UsageError(`--${flag} takes "-" and reads ${what} from standard input`);
  const value = (await readStdin()).trim();
  if (!valid.test(value)) throw new UsageError(`standard input does not hold ${what}; nothing was stored`);
  return { fields: { [field]: value } };
}

const what = (f: (typeof APP_SECRET_FLAGS)[number]): string => f.what.replace(/^a /, '');

/** `set-destination`: a checked webhook URL, or a Slack app's credentials, into the destination's secret. */
export const setDestinationCommand: Command = {
  name: 'set-destination',
  summary:
    "check a Slack or Teams webhook URL, or a Slack app's bot token or signing secret, then store it in the destination's secret",
  usage: `<name> <url | -> | <name> ${APP_SECRET_FLAGS.map((f) => `--${f.flag} -`).join(' | ')} [--stack <name>]`,
  details:
    '  <url>   the webhook URL Slack or Teams Workflows gave you; "-" reads it from standard input,\n' +
    '          which keeps it out of your shell history\n' +
    `${APP_SECRET_FLAGS.map((f) => `  --${f.flag} -   a Slack app destination's ${what(f)}, read from standard input\n`).join('')}` +
    `${AWS_NOTE}\nNothing stored is ever printed. Running notifiers read the new value within 5 minutes.`,
  options: { ...STACK_OPTION, ...Object.fromEntries(APP_SECRET_FLAGS.map((f) => [f.flag, { type: 'string' }])) },
  positionals: { min: 1, max: 2 },
  async run([name, given], values, io) {
    const app = await appFields(values, io.readStdin);
    if (app && given !== undefined) throw new UsageError('give either a webhook URL or a Slack app flag, not both');
    if (!app && given === undefined) throw new UsageError('give the webhook URL (or "-"), or --bot-token -');
    const url = given === '-' ? (await io.readStdin()).trim() : given;
    if (url === '') throw new UsageError('no URL on standard input');
    const result = await setDestinationSecret(name!, app ?? { url: url! }, stackOf(values), {
      cloudFormation: new CloudFormationClient({}),
      secrets: new SecretsManagerClient({}),
    });
    io.out(
      `Stored the ${result.stored} of "${name}" in secret ${result.secretName}.\n` +
        `Notifiers pick it up within 5 minutes; then check it with: npx paubox-relay test-destination ${name}\n`,
    );
    return 0;
  },
};
