import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { readSecretString } from '../../../functions/aws/read-secret';

describe('readSecretString', () => {
  const secrets = mockClient(SecretsManagerClient);
  beforeEach(() => secrets.reset());

  it('reads the secret by id and trims the value (a pasted URL often ends in a newline)', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: 'ops-url' })
      .resolves({ SecretString: ' https://hooks.slack.com/x\n' });
    expect(await readSecretString(new SecretsManagerClient({}), 'ops-url')).toBe('https://hooks.slack.com/x');
  });

  it('refuses a secret without a string value', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretBinary: new Uint8Array([1]) });
    await expect(readSecretString(new SecretsManagerClient({}), 'ops-url')).rejects.toThrow(
      'the secret has no string value',
    );
  });
});
