import { DescribeStacksCommand, type CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, StartMessageMoveTaskCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { pascalCaseName } from '../../lib/paubox-alert-relay';

export { DEFAULT_STACK_NAME } from './stack-outputs';

export interface RedriveClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
}

export interface RedriveResult {
  /** Messages in the DLQ when the move started. */
  readonly messages: number;
  readonly taskHandle?: string;
}

/** Reads the destination's queue and DLQ ARNs from the stack's outputs. */
async function queueArns(destination: string, stackName: string, clients: RedriveClients): Promise<{ queue: string; dlq: string }> {
  const { Stacks } = await clients.cloudFormation.send(new DescribeStacksCommand({ StackName: stackName }));
  const outputs = new Map((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
  const prefix = pascalCaseName(destination);
  const queue = outputs.get(`${prefix}QueueArn`);
  const dlq = outputs.get(`${prefix}DeadLetterQueueArn`);
  if (!queue || !dlq) {
    const known = [...outputs.keys()].filter((k) => k?.endsWith('DeadLetterQueueArn')).map((k) => k!.replace(/DeadLetterQueueArn$/, ''));
    throw new Error(
      `stack ${stackName} has no destination "${destination}" (outputs ${prefix}QueueArn / ${prefix}DeadLetterQueueArn); ` +
        `destinations found: ${known.join(', ') || 'none'}`,
    );
  }
  return { queue, dlq };
}

const queueUrlOf = (arn: string): string => {
  const [, , , region, account, name] = arn.split(':');
  return `https://sqs.${region}.amazonaws.com/${account}/${name}`;
};

/**
 * Moves a destination's dead letters back to its queue once the channel is fixed. The notifier then
 * posts them; any already posted are skipped by the de-duplication table.
 */
export async function redriveDestination(destination: string, stackName: string, clients: RedriveClients): Promise<RedriveResult> {
  const { queue, dlq } = await queueArns(destination, stackName, clients);
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrlOf(dlq), AttributeNames: ['ApproximateNumberOfMessages'] }),
  );
  const messages = Number(Attributes?.ApproximateNumberOfMessages ?? '0');
  if (messages === 0) return { messages };
  const { TaskHandle } = await clients.sqs.send(new StartMessageMoveTaskCommand({ SourceArn: dlq, DestinationArn: queue }));
  return { messages, taskHandle: TaskHandle };
}
