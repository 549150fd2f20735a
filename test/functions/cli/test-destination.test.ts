import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { toAlertView } from '../../../functions/alerts';
import { renderSlack, renderTeams } from '../../../functions/chat';
import { runCli } from '../../../functions/cli/run-cli';
import { sendTestAlert } from '../../../functions/cli/test-destination';
import { decodeQueuedEvent } from '../../../functions/paubox';
import { captureIo, mockDeployedStack, OUTPUTS } from '../../support/deployed-stack';

const { sqs, dynamo } = mockDeployedStack();

describe('test-destination', () => {
  const sentEvent = () => decodeQueuedEvent(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageBody!)!;

  it("queues a labelled test event on the destination's queue and reports it posted", async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, state: { S: 'posted' } } });
    const cli = captureIo();
    await expect(runCli(['test-destination', 'ops'], cli)).resolves.toBe(0);
    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ops');
    const event = sentEvent();
    expect(event).toMatchObject({ test: true, type: 'delivered', senderDomain: 'paubox-relay.invalid' });
    expect(input.MessageAttributes).toEqual({
      event_type: { DataType: 'String', StringValue: 'delivered' },
      sender_domain: { DataType: 'String', StringValue: 'paubox-relay.invalid' },
    });
    // It watches the claim the notifier makes for this destination and event.
    expect(dynamo.commandCalls(GetItemCommand)[0]!.args[0].input).toEqual({
      TableName: OUTPUTS.DedupTableName,
      Key: { pk: { S: `ops#${event.key}` } },
      ConsistentRead: true,
    });
    expect(cli.stdout()).toMatch(/^Test alert posted to "ops" in \d+\.\d s/);
  });

  it('renders as a "Test alert" on Slack and Teams, not as a failed message', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    await runCli(['test-destination', 'ops', '--wait', '0'], captureIo());
    const view = toAlertView(sentEvent(), { destination: 'ops', detail: 'full', fingerprintKey: 'k' });
    const slack = renderSlack(view);
    expect(slack.text).toContain('Test alert');
    expect(JSON.stringify(slack)).not.toContain('Message failed to send');
    expect(JSON.stringify(renderTeams(view))).toContain('Test alert');
  });

  it('exits 1 and points at dead-letters when the notifier dead-lettered it', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, state: { S: 'dead' } } });
    const cli = captureIo();
    await expect(runCli(['test-destination', 'ops'], cli)).resolves.toBe(1);
    expect(cli.stderr()).toContain('npx paubox-relay dead-letters ops');
    expect(cli.stderr()).toContain('fix the URL: npx paubox-relay set-destination ops <url>');
  });

  it('points a Slack app at check-destinations, never at a URL, when its test alert is dead-lettered', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, state: { S: 'dead' } } });
    const cli = captureIo();
    await expect(runCli(['test-destination', 'care-app'], cli)).resolves.toBe(1);
    expect(cli.stderr()).toContain('npx paubox-relay check-destinations names the fix');
    expect(cli.stderr()).not.toContain('<url>');
  });

  it('polls until the wait is over, then reports no verdict', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    dynamo.on(GetItemCommand).resolves({ Item: { pk: { S: 'x' }, state: { S: 'sending' } } });
    let clock = 0;
    const result = await sendTestAlert(
      'ops',
      'PauboxAlertRelay',
      { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}), dynamodb: new DynamoDBClient({}) },
      {
        waitMs: 10_000,
        pollMs: 2_000,
        now: () => clock,
        sleep: async (ms) => {
          clock += ms;
        },
      },
    );
    expect(result).toMatchObject({ outcome: 'timed_out', elapsedMs: 10_000 });
    expect(dynamo.commandCalls(GetItemCommand)).toHaveLength(6);
  });

  it('refuses a bad --wait', async () => {
    const cli = captureIo();
    await expect(runCli(['test-destination', 'ops', '--wait', 'soon'], cli)).resolves.toBe(2);
    expect(cli.stderr()).toContain('--wait must be a whole number from 0 to 900, got "soon"');
    expect(sqs.commandCalls(SendMessageCommand)).toHaveLength(0);
  });
});
