import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString, readStackOutputs, requireOutput } from '../aws';
import { parseTokenSecret } from '../ingest';
import { AWS_NOTE, STACK_OPTION, stackOf, type Command } from './command';

export interface WebhookUrlClients {
  readonly cloudFormation: CloudFormationClient;
  readonly secrets: SecretsManagerClient;
}

/**
 * The full URL to paste into Paubox: the stack's `WebhookBaseUrl` and the current token from its secret (a plain
 * token, or the JSON a rotation writes, whose previous token is only kept for the overlap).
 */
export async function deployedWebhookUrl(stackName: string, clients: WebhookUrlClients): Promise<string> {
  const outputs = await readStackOutputs(clients.cloudFormation, stackName);
  const base = requireOutput(outputs, 'WebhookBaseUrl', stackName);
  const { token } = parseTokenSecret(
    await readSecretString(clients.secrets, requireOutput(outputs, 'TokenSecretName', stackName)),
  );
  return `${base}${encodeURIComponent(token)}`;
}

/** `webhook-url`: the URL to paste into Paubox. */
export const webhookUrlCommand: Command = {
  name: 'webhook-url',
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
};
