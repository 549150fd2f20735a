import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readSecretString } from '../commons/aws-clients';
import { readStackOutputs, requireOutput } from './stack-outputs';

export interface WebhookUrlClients {
  readonly cloudFormation: CloudFormationClient;
  readonly secrets: SecretsManagerClient;
}

/** The full URL to paste into Paubox: the stack's `WebhookBaseUrl` and the token from its secret. */
export async function deployedWebhookUrl(stackName: string, clients: WebhookUrlClients): Promise<string> {
  const outputs = await readStackOutputs(clients.cloudFormation, stackName);
  const base = requireOutput(outputs, 'WebhookBaseUrl', stackName);
  const token = await readSecretString(clients.secrets, requireOutput(outputs, 'TokenSecretName', stackName));
  return `${base}${encodeURIComponent(token)}`;
}
