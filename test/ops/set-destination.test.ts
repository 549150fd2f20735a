import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { DestinationUrlError } from '../../functions/commons/errors';
import { setDestinationUrl } from '../../functions/ops/set-destination';

const cfn = mockClient(CloudFormationClient);
const sm = mockClient(SecretsManagerClient);
const clients = { cloudFormation: new CloudFormationClient({}), secretsManager: new SecretsManagerClient({}) };
const SLACK = 'https://hooks.slack.com/services/T000/B000/XXXXXXXXSECRET';

beforeEach(() => {
  cfn.reset();
  sm.reset();
  cfn.on(DescribeStacksCommand).resolves({
    Stacks: [
      {
        StackName: 'PauboxAlertRelay',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [{ OutputKey: 'CareTeamDestinationSecretName', OutputValue: 'RelayCareTeamWebhookUrlSecret-abc' }],
      },
    ],
  });
  sm.on(PutSecretValueCommand).resolves({});
});

describe('setDestinationUrl', () => {
  it('stores a checked URL in the secret named by the stack outputs', async () => {
    await expect(setDestinationUrl('care-team', `${SLACK}\n`, 'PauboxAlertRelay', clients)).resolves.toEqual({
      kind: 'slack',
      secretName: 'RelayCareTeamWebhookUrlSecret-abc',
    });
    expect(sm.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({ SecretId: 'RelayCareTeamWebhookUrlSecret-abc', SecretString: SLACK });
  });

  it.each([
    ['plain http', SLACK.replace('https', 'http')],
    ['another host', 'https://hooks.slack.com.evil.test/services/XXXXXXXXSECRET'],
    ['a retired Office 365 connector', 'https://contoso.webhook.office.com/webhookb2/XXXXXXXXSECRET'],
  ])('stores nothing for %s, and says why without the credential', async (_label, url) => {
    const error = await setDestinationUrl('care-team', url, 'PauboxAlertRelay', clients).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DestinationUrlError);
    expect((error as Error).message).not.toContain('XXXXXXXXSECRET');
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('names the destinations the stack has when asked for another', async () => {
    await expect(setDestinationUrl('ops', SLACK, 'PauboxAlertRelay', clients)).rejects.toThrow('destinations found: CareTeam');
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });
});
