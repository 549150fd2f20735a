import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { runCli } from '../../../functions/cli/run-cli';
import { captureIo, mockDeployedStack, OUTPUTS } from '../../support/deployed-stack';

const { cfn, secrets } = mockDeployedStack();
const TOKEN = 'Tok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3nTok3n';

describe('webhook-url', () => {
  it('prints the base URL and the token from the secret the stack names', async () => {
    secrets.on(GetSecretValueCommand, { SecretId: OUTPUTS.TokenSecretName }).resolves({ SecretString: `${TOKEN}\n` });
    const cli = captureIo();
    await expect(runCli(['webhook-url'], cli)).resolves.toBe(0);
    expect(cli.stdout()).toBe(`${OUTPUTS.WebhookBaseUrl}${TOKEN}\n`);
    expect(cli.stderr()).toContain('credential');
  });

  it('prints the new token, not the one kept for the overlap, after a rotation', async () => {
    const secret = JSON.stringify({
      token: TOKEN,
      previousToken: 'p'.repeat(48),
      previousValidUntil: '2030-01-01T00:00:00Z',
    });
    secrets.on(GetSecretValueCommand, { SecretId: OUTPUTS.TokenSecretName }).resolves({ SecretString: secret });
    const cli = captureIo();
    await expect(runCli(['webhook-url'], cli)).resolves.toBe(0);
    expect(cli.stdout()).toBe(`${OUTPUTS.WebhookBaseUrl}${TOKEN}\n`);
  });

  it('says how to fix a stack name that does not exist', async () => {
    const cli = captureIo();
    await expect(runCli(['webhook-url', '--stack', 'Other'], cli)).resolves.toBe(1);
    expect(cli.stderr()).toBe(
      'paubox-relay webhook-url: stack Other does not exist in this account and region; deploy it, or pass --stack <name>\n',
    );
  });

  it('says how to give credentials or a region when the SDK has none', async () => {
    cfn
      .on(DescribeStacksCommand)
      .rejects(
        Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }),
      );
    const noCredentials = captureIo();
    await expect(runCli(['webhook-url'], noCredentials)).resolves.toBe(1);
    expect(noCredentials.stderr()).toContain('no AWS credentials found: set AWS_PROFILE');
    cfn.on(DescribeStacksCommand).rejects(new Error('Region is missing'));
    const noRegion = captureIo();
    await expect(runCli(['webhook-url'], noRegion)).resolves.toBe(1);
    expect(noRegion.stderr()).toContain('no AWS region: set AWS_REGION');
  });
});
