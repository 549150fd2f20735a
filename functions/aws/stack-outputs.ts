import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { pascalCaseName } from '../config';
import { OpsError } from './errors';
import { cloudFormationSdk } from './lazy-sdk';

/** The stack `bin/app.ts` deploys; every AWS command takes `--stack` for another name. */
export const DEFAULT_STACK_NAME = 'PauboxAlertRelay';

export type StackOutputs = ReadonlyMap<string, string>;

/** What the stack's outputs say about one destination. */
export interface DeployedDestination {
  readonly name: string;
  readonly secretName: string;
  /** `slack`, `teams` or `auto` (detected from the stored URL). */
  readonly kind: string;
  readonly queueArn: string;
  readonly deadLetterQueueArn: string;
  /** Set for a destination in Slack app mode: the channel it posts to with the bot token in its secret. */
  readonly channel?: string;
}

/** Turns the SDK's usual failures (no credentials, no region, no stack, no permission) into what to do. */
export function explainAwsError(error: unknown, stackName: string): Error {
  if (error instanceof OpsError || !(error instanceof Error))
    return error instanceof Error ? error : new Error(String(error));
  const message = error.message;
  if (error.name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new OpsError(
      'no AWS credentials found: set AWS_PROFILE (after `aws sso login`) or the AWS_ACCESS_KEY_ID variables',
    );
  }
  if (/Region is missing/i.test(message)) {
    return new OpsError(
      'no AWS region: set AWS_REGION (or a region in your AWS_PROFILE) to the region the relay is deployed in',
    );
  }
  if (error.name === 'ValidationError' && /does not exist/.test(message)) {
    return new OpsError(
      `stack ${stackName} does not exist in this account and region; deploy it, or pass --stack <name>`,
    );
  }
  if (error.name === 'AccessDeniedException' || error.name === 'AccessDenied' || /not authorized/i.test(message)) {
    return new OpsError(`AWS refused the call (${error.name}): ${message}`);
  }
  return error;
}

/** The outputs of the deployed stack, by key. */
export async function readStackOutputs(client: CloudFormationClient, stackName: string): Promise<StackOutputs> {
  const { Stacks } = await client.send(new (cloudFormationSdk().DescribeStacksCommand)({ StackName: stackName }));
  const outputs = new Map<string, string>();
  for (const o of Stacks?.[0]?.Outputs ?? [])
    if (o.OutputKey && o.OutputValue !== undefined) outputs.set(o.OutputKey, o.OutputValue);
  return outputs;
}

/** The value of an output every version of the stack has; a missing one means an older or foreign stack. */
export function requireOutput(outputs: StackOutputs, key: string, stackName: string): string {
  const value = outputs.get(key);
  if (value === undefined) {
    throw new OpsError(
      `stack ${stackName} has no output ${key}: is it a Paubox alert relay stack? Redeploy it with this version`,
    );
  }
  return value;
}

/** Looks a destination up in the outputs; an unknown name gets the list of the deployed ones. */
export function deployedDestination(outputs: StackOutputs, name: string, stackName: string): DeployedDestination {
  const id = pascalCaseName(name);
  const secretName = outputs.get(`${id}DestinationSecretName`);
  const queueArn = outputs.get(`${id}QueueArn`);
  const deadLetterQueueArn = outputs.get(`${id}DeadLetterQueueArn`);
  if (secretName === undefined || queueArn === undefined || deadLetterQueueArn === undefined) {
    const known = [...outputs.keys()]
      .filter((k) => k.endsWith('DestinationSecretName'))
      .map((k) => k.slice(0, -'DestinationSecretName'.length));
    throw new OpsError(
      `stack ${stackName} has no destination "${name}" (no ${id}DestinationSecretName output); ` +
        `deployed destinations: ${known.join(', ') || 'none'} (names in PascalCase)`,
    );
  }
  const channel = outputs.get(`${id}DestinationChannel`);
  return {
    name,
    secretName,
    kind: outputs.get(`${id}DestinationKind`) ?? 'auto',
    queueArn,
    deadLetterQueueArn,
    ...(channel !== undefined ? { channel } : {}),
  };
}

/** `arn:aws:sqs:<region>:<account>:<name>` → the queue URL the SQS API takes. */
export function queueUrlOf(arn: string): string {
  const [, partition, , region, account, name] = arn.split(':');
  const domain = partition === 'aws-cn' ? 'amazonaws.com.cn' : 'amazonaws.com';
  return `https://sqs.${region}.${domain}/${account}/${name}`;
}
