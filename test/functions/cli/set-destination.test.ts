import { GetSecretValueCommand, PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
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

const TOKEN = 'xoxb-1234-5678-SECRETTOKEN';
const SIGNING = '8f742231b10e8888SECRETTOKEN85a5x';

describe('set-destination --bot-token', () => {
  it("reads the bot token from standard input and merges it into the app's secret, keeping its other fields", async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ signingSecret: 'kept' }) });
    secrets.on(PutSecretValueCommand).resolves({});
    const cli = captureIo(`${TOKEN}\n`);
    await expect(runCli(['set-destination', 'care-app', '--bot-token', '-'], cli)).resolves.toBe(0);
    const [put] = secrets.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input);
    expect(put!.SecretId).toBe(OUTPUTS.CareAppDestinationSecretName);
    expect(JSON.parse(put!.SecretString!)).toEqual({ signingSecret: 'kept', botToken: TOKEN });
    expect(cli.stdout()).toContain('Stored the Slack app bot token of "care-app"');
    expect(cli.stdout() + cli.stderr()).not.toContain('SECRETTOKEN');
  });

  it('starts the JSON over a generated placeholder', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: 'GeneratedPlaceholder0123456789ab' });
    secrets.on(PutSecretValueCommand).resolves({});
    await expect(runCli(['set-destination', 'care-app', '--bot-token', '-'], captureIo(TOKEN))).resolves.toBe(0);
    expect(secrets.commandCalls(PutSecretValueCommand)[0]!.args[0].input.SecretString).toBe(
      JSON.stringify({ botToken: TOKEN }),
    );
  });

  it.each([
    ['a token on the command line', ['care-app', '--bot-token', TOKEN], '', /--bot-token takes "-"/, 2],
    ['something that is not a bot token', ['care-app', '--bot-token', '-'], 'xoxp-user-token', /xoxb-/, 2],
    ['a webhook destination', ['ops', '--bot-token', '-'], TOKEN, /posts to a webhook/, 1],
    ['a URL for an app destination', ['care-app', SLACK_URL], '', /posts as a Slack app .* takes no webhook URL/, 1],
    ['a signing secret on the command line', ['care-app', '--signing-secret', SIGNING], '', /takes "-"/, 2],
    ['a bot token as signing secret', ['care-app', '--signing-secret', '-'], TOKEN, /signing secret/, 2],
    ['both flags at once', ['care-app', '--signing-secret', '-', '--bot-token', '-'], SIGNING, /give one of/, 2],
    ['a signing secret for a webhook destination', ['ops', '--signing-secret', '-'], SIGNING, /posts to a webhook/, 1],
  ])('refuses %s, stores nothing and echoes nothing', async (_what, args, stdin, message, code) => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: '{}' });
    const cli = captureIo(stdin);
    await expect(runCli(['set-destination', ...args], cli)).resolves.toBe(code);
    expect(secrets.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(cli.stderr()).toMatch(message);
    expect(cli.stdout() + cli.stderr()).not.toMatch(/SECRETTOKEN|SECRETPART/);
  });
});

describe('set-destination --signing-secret', () => {
  it('reads the signing secret from standard input and merges it beside the bot token, printing neither', async () => {
    secrets.on(GetSecretValueCommand).resolves({ SecretString: JSON.stringify({ botToken: 'xoxb-kept-token' }) });
    secrets.on(PutSecretValueCommand).resolves({});
    const cli = captureIo(`${SIGNING}\n`);
    await expect(runCli(['set-destination', 'care-app', '--signing-secret', '-'], cli)).resolves.toBe(0);
    const [put] = secrets.commandCalls(PutSecretValueCommand).map((c) => c.args[0].input);
    expect(put!.SecretId).toBe(OUTPUTS.CareAppDestinationSecretName);
    expect(JSON.parse(put!.SecretString!)).toEqual({ botToken: 'xoxb-kept-token', signingSecret: SIGNING });
    expect(cli.stdout()).toContain('Stored the Slack app signing secret of "care-app"');
    expect(cli.stdout() + cli.stderr()).not.toMatch(/SECRET|xoxb-kept/);
  });
});
