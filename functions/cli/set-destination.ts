import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { OpsError, deployedDestination, readStackOutputs } from '../aws';
import { type ChatKind, checkDestinationUrl, isChatKind, PLATFORMS } from '../chat';
import { DestinationUrlError } from '../config';
import { AWS_NOTE, STACK_OPTION, stackOf, type Command } from './command';
import { UsageError } from './errors';

export interface SetDestinationClients {
  readonly cloudFormation: CloudFormationClient;
  readonly secrets: SecretsManagerClient;
}

export interface SetDestinationResult {
  readonly secretName: string;
  readonly kind: ChatKind;
}

/**
 * Stores a destination's webhook URL in its secret, after the same check the notifier applies (Slack or Teams
 * Workflows host, https, and the platform the configuration names), so a bad URL is refused here and not at 3 a.m.
 * Errors name the host at most, never the path or query that hold the credential.
 */
export async function setDestinationUrl(
  name: string,
  url: string,
  stackName: string,
  clients: SetDestinationClients,
): Promise<SetDestinationResult> {
  const destination = deployedDestination(await readStackOutputs(clients.cloudFormation, stackName), name, stackName);
  const configured = isChatKind(destination.kind) ? destination.kind : undefined;
  let kind: ChatKind;
  try {
    kind = checkDestinationUrl(url, { kind: configured, allowLoopbackHttp: false });
  } catch (error) {
    if (error instanceof DestinationUrlError) throw new OpsError(`the URL ${error.message}; nothing was stored`);
    throw error;
  }
  await clients.secrets.send(new PutSecretValueCommand({ SecretId: destination.secretName, SecretString: url.trim() }));
  return { secretName: destination.secretName, kind };
}

/** `set-destination`: a checked webhook URL into the destination's secret. */
export const setDestinationCommand: Command = {
  name: 'set-destination',
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
      `Stored the ${PLATFORMS[result.kind].label} webhook URL of "${name}" in secret ` +
        `${result.secretName}.\nNotifiers pick it up within 5 minutes; then check it with: npx paubox-relay test-destination ${name}\n`,
    );
    return 0;
  },
};
