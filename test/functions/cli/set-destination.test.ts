import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { runCli } from '../../../functions/cli/run-cli';
import { captureIo, mockDeployedStack, OUTPUTS } from '../../support/deployed-stack';

const { secrets } = mockDeployedStack();
const SLACK_URL = 'https://hooks.slack.com/services/T0001/B0001/SECRETPART';

describe('set-destination', () => {
  it("checks the URL, stores it in the destination's secret and never prints it", async () => {
    secrets.on(PutSecretValueCommand).resolves({});
    const cli = captureIo();
    await expect(runCli(['set-destination', 'ops', SLACK_URL], cli)).resolves.toBe(0);
    expect(secrets.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: OUTPUTS.OpsDestinationSecretName, SecretString: SLACK_URL },
    ]);
    expect(cli.stdout()).toContain(
      `Stored the Slack webhook URL of "ops" in secret ${OUTPUTS.OpsDestinationSecretName}`,
    );
    expect(cli.stdout()).toContain('npx paubox-relay test-destination ops');
    expect(cli.stdout() + cli.stderr()).not.toContain('SECRETPART');
  });

  it('reads the URL from standard input with "-", keeping it out of the shell history', async () => {
    secrets.on(PutSecretValueCommand).resolves({});
    const teams =
      'https://prod-01.westeurope.logic.azure.com:443/workflows/w1/triggers/manual/paths/invoke?sig=SECRETSIG';
    const cli = captureIo(`${teams}\n`);
    await expect(runCli(['set-destination', 'care-team', '-'], cli)).resolves.toBe(0);
    expect(secrets.commandCalls(PutSecretValueCommand)[0]!.args[0].input).toEqual({
      SecretId: OUTPUTS.CareTeamDestinationSecretName,
      SecretString: teams,
    });
    expect(cli.stdout()).toContain('Stored the Teams Workflows webhook URL of "care-team"');
  });

  it.each([
    [
      'a Teams URL for a destination configured as Slack',
      'https://prod-01.westeurope.logic.azure.com/workflows/w/SECRETPART',
      /is a teams URL but the destination's kind is slack/,
    ],
    [
      'a retired Office 365 connector',
      'https://contoso.webhook.office.com/webhookb2/SECRETPART',
      /retired Office 365 connector.*Workflows/,
    ],
    [
      'another host',
      'https://attacker.example.net/services/SECRETPART',
      /attacker\.example\.net, which is neither Slack/,
    ],
    ['plain http', 'http://hooks.slack.com/services/SECRETPART', /must use https/],
  ])('refuses %s, stores nothing and does not echo the URL', async (_what, url, message) => {
    const cli = captureIo();
    await expect(runCli(['set-destination', 'ops', url], cli)).resolves.toBe(1);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stderr()).toContain('nothing was stored');
    expect(cli.stderr()).not.toContain('SECRETPART');
  });

  it('names the deployed destinations when given another', async () => {
    const cli = captureIo();
    await expect(runCli(['set-destination', 'pager', SLACK_URL], cli)).resolves.toBe(1);
    expect(cli.stderr()).toContain('stack PauboxAlertRelay has no destination "pager"');
    expect(cli.stderr()).toContain('deployed destinations: Ops, CareTeam');
  });
});
