import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { redriveDestination } from '../../../functions/cli/redrive';
import { runCli } from '../../../functions/cli/run-cli';
import { captureIo, DLQ, mockDeployedStack, OUTPUTS, QUEUE } from '../../support/deployed-stack';

const { sqs } = mockDeployedStack();
const clients = { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}) };

describe('redriveDestination', () => {
  it('moves the DLQ back to the destination queue named by the stack outputs', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '7' } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    await expect(redriveDestination('care-team', 'PauboxAlertRelay', clients)).resolves.toEqual({
      messages: 7,
      taskHandle: 'task-1',
    });
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input.QueueUrl).toBe(
      'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-care-dlq',
    );
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: OUTPUTS.CareTeamDeadLetterQueueArn,
      DestinationArn: OUTPUTS.CareTeamQueueArn,
    });
  });

  it('starts nothing when the DLQ is empty', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    await expect(redriveDestination('care-team', 'PauboxAlertRelay', clients)).resolves.toEqual({ messages: 0 });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('names the destinations the stack has when asked for another', async () => {
    await expect(redriveDestination('pager', 'PauboxAlertRelay', clients)).rejects.toThrow(
      'stack PauboxAlertRelay has no destination "pager" (no PagerDestinationSecretName output); deployed destinations: Ops, CareTeam',
    );
  });
});

describe('redrive', () => {
  it("starts moving the destination's DLQ back to its queue", async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '2' } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-9' });
    const cli = captureIo();
    await expect(runCli(['redrive', 'ops'], cli)).resolves.toBe(0);
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({
      SourceArn: DLQ,
      DestinationArn: QUEUE,
    });
    expect(cli.stdout()).toBe('moving about 2 dead letter(s) of ops back to its queue (task task-9)\n');
  });
});
