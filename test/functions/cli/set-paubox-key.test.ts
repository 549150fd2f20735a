import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { runCli } from '../../../functions/cli/run-cli';
import { captureIo, mockDeployedStack, OUTPUTS } from '../../support/deployed-stack';

const mocks = mockDeployedStack();
const KEY = 'pbx-SECRETKEY-0123456789';

describe('set-paubox-key', () => {
  it('reads the key from standard input, stores it in its own secret and never prints it', async () => {
    mocks.secrets.on(PutSecretValueCommand).resolves({});
    const cli = captureIo(`${KEY}\n`);
    await expect(runCli(['set-paubox-key', '-'], cli)).resolves.toBe(0);
    expect(mocks.secrets.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: OUTPUTS.PauboxApiKeySecretName, SecretString: KEY },
    ]);
    expect(cli.stdout()).toContain(`Stored the Paubox API key in secret ${OUTPUTS.PauboxApiKeySecretName}`);
    expect(cli.stdout() + cli.stderr()).not.toContain('SECRETKEY');
  });

  it('says what to configure when the stack was deployed without enrichment, and stores nothing', async () => {
    const { PauboxApiKeySecretName: _, ...rest } = OUTPUTS;
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'PauboxAlertRelay' }).resolves({
      Stacks: [
        {
          StackName: 'PauboxAlertRelay',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: Object.entries(rest).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
    const cli = captureIo();
    await expect(runCli(['set-paubox-key', KEY], cli)).resolves.toBe(1);
    expect(cli.stderr()).toMatch(/no PauboxApiKeySecretName output: set "paubox": \{ "enrich": true/);
    expect(cli.stderr()).not.toContain('SECRETKEY');
    expect(mocks.secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('refuses an empty key', async () => {
    const cli = captureIo('\n');
    await expect(runCli(['set-paubox-key', '-'], cli)).resolves.toBe(2);
    expect(mocks.secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});
