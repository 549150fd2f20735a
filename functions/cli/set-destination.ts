import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { checkDestinationUrl } from '../chat/destination-url';
import type { ChatKind } from '../config/destination-kinds';
import { DestinationUrlError } from '../config/errors';
import { deployedDestination, OpsError, readStackOutputs } from '../aws/stack-outputs';

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
  const configured = destination.kind === 'slack' || destination.kind === 'teams' ? destination.kind : undefined;
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
