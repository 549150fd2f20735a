import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { pascalCaseName } from '../../lib/paubox-alert-relay';
import { checkDestinationUrl, type ChatKind } from '../commons/destination-url';

export interface SetDestinationClients {
  readonly cloudFormation: CloudFormationClient;
  readonly secretsManager: SecretsManagerClient;
}

/**
 * Stores a destination's webhook URL in its secret, after the same check the notifier makes when it reads it:
 * https, and a Slack or Teams Workflows host. A refused URL is never stored.
 *
 * @throws DestinationUrlError (naming the host at most) when the URL is refused; Error when the stack has no such destination
 */
export async function setDestinationUrl(
  destination: string,
  url: string,
  stackName: string,
  clients: SetDestinationClients,
): Promise<{ kind: ChatKind; secretName: string }> {
  const kind = checkDestinationUrl(url, { allowLoopbackHttp: false });
  const { Stacks } = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const outputKey = `${pascalCaseName(destination)}DestinationSecretName`;
  const secretName = outputs.get(outputKey);
  if (!secretName) {
    const known = [...outputs.keys()].filter((k) => k?.endsWith('DestinationSecretName')).map((k) => k!.replace(/DestinationSecretName$/, ''));
    throw new Error(`stack ${stackName} has no destination "${destination}" (output ${outputKey}); destinations found: ${known.join(', ') || 'none'}`);
  }
  await clients.secretsManager.send(new PutSecretValueCommand({ SecretId: secretName, SecretString: url.trim() }));
  return { kind, secretName };
}
