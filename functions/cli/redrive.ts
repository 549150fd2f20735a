import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, SQSClient, StartMessageMoveTaskCommand } from '@aws-sdk/client-sqs';
import { deployedDestination, queueUrlOf, readStackOutputs } from '../aws';
import { AWS_NOTE, STACK_OPTION, stackOf, type Command } from './command';

export interface RedriveClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
}

export interface RedriveResult {
  /** Messages in the DLQ when the move started. */
  readonly messages: number;
  readonly taskHandle?: string;
}

/**
 * Moves a destination's dead letters back to its queue once the channel is fixed. The notifier then
 * posts them; any already posted are skipped by the de-duplication table.
 */
export async function redriveDestination(
  destination: string,
  stackName: string,
  clients: RedriveClients,
): Promise<RedriveResult> {
  const outputs = await readStackOutputs(clients.cloudFormation, stackName);
  const { queueArn: queue, deadLetterQueueArn: dlq } = deployedDestination(outputs, destination, stackName);
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrlOf(dlq), AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const messages = Number(Attributes?.ApproximateNumberOfMessages ?? '0');
  if (messages === 0) return { messages };
  const { TaskHandle } = await clients.sqs.send(
    new StartMessageMoveTaskCommand({ SourceArn: dlq, DestinationArn: queue }),
  );
  return { messages, taskHandle: TaskHandle };
}

/** `redrive`: a destination's dead letters back to its queue. */
export const redriveCommand: Command = {
  name: 'redrive',
  summary: "move a destination's dead letters back to its queue, once the channel is fixed",
  usage: '<name> [--stack <name>]',
  details: `${AWS_NOTE}\nAlerts that were already posted are skipped by the notifier.`,
  options: STACK_OPTION,
  positionals: { min: 1, max: 1 },
  async run([name], values, io) {
    const result = await redriveDestination(name!, stackOf(values), {
      cloudFormation: new CloudFormationClient({}),
      sqs: new SQSClient({}),
    });
    io.out(
      result.messages === 0
        ? `no dead letters for ${name}\n`
        : `moving about ${result.messages} dead letter(s) of ${name} back to its queue (task ${result.taskHandle ?? 'started'})\n`,
    );
    return 0;
  },
};
