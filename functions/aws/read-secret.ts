import type { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { secretsManagerSdk } from './lazy-sdk';

/** Secrets hold plain strings (a token, a webhook URL, a key). */
export async function readSecretString(client: SecretsManagerClient, secretId: string): Promise<string> {
  const result = await client.send(new (secretsManagerSdk().GetSecretValueCommand)({ SecretId: secretId }));
  if (result.SecretString === undefined) throw new Error('the secret has no string value');
  return result.SecretString.trim();
}
