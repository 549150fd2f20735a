import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { redriveDestination } from '../../../functions/cli/redrive';

const cfn = mockClient(CloudFormationClient);
const sqs = mockClient(SQSClient);
const clients = { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}) };
const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:relay-care-team';
const DLQ = 'arn:aws:sqs:eu-west-1:111122223333:relay-care-team-dlq';

beforeEach(() => {
  cfn.reset();
  sqs.reset();
  cfn.on(DescribeStacksCommand, { StackName: 'PauboxAlertRelay' }).resolves({
    Stacks: [
      {
        StackName: 'PauboxAlertRelay',
        CreationTime: new Date(),
        StackStatus: 'UPDATE_COMPLETE',
        Outputs: [
          { OutputKey: 'CareTeamDestinationSecretName', OutputValue: 'relay-care-team-url' },
          { OutputKey: 'CareTeamQueueArn', OutputValue: QUEUE },
          { OutputKey: 'CareTeamDeadLetterQueueArn', OutputValue: DLQ },
        ],
      },
    ],
  });
});

describe('redriveDestination', () => {
  it('moves the DLQ back to the destination queue named by the stack outputs', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '7' } });
    sqs.on(StartMessageMoveTaskCommand).resolves({ TaskHandle: 'task-1' });
    await expect(redriveDestination('care-team', 'PauboxAlertRelay', clients)).resolves.toEqual({ messages: 7, taskHandle: 'task-1' });
    expect(sqs.commandCalls(GetQueueAttributesCommand)[0]!.args[0].input.QueueUrl).toBe(
      'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-care-team-dlq',
    );
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)[0]!.args[0].input).toEqual({ SourceArn: DLQ, DestinationArn: QUEUE });
  });

  it('starts nothing when the DLQ is empty', async () => {
    sqs.on(GetQueueAttributesCommand).resolves({ Attributes: { ApproximateNumberOfMessages: '0' } });
    await expect(redriveDestination('care-team', 'PauboxAlertRelay', clients)).resolves.toEqual({ messages: 0 });
    expect(sqs.commandCalls(StartMessageMoveTaskCommand)).toHaveLength(0);
  });

  it('names the destinations the stack has when asked for another', async () => {
    await expect(redriveDestination('ops', 'PauboxAlertRelay', clients)).rejects.toThrow(
      'stack PauboxAlertRelay has no destination "ops" (no OpsDestinationSecretName output); deployed destinations: CareTeam',
    );
  });
});
