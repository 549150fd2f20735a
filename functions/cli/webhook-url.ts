import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString } from '../aws/read-secret';
import { parseTokenSecret } from '../ingest/token-secret';
import { readStackOutputs, requireOutput } from '../aws/stack-outputs';

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
