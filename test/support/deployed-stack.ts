import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import type { CliIo } from '../../functions/cli';

export const QUEUE = 'arn:aws:sqs:eu-west-1:111122223333:relay-ops';
export const DLQ = 'arn:aws:sqs:eu-west-1:111122223333:relay-ops-dlq';

/** The outputs of a deployed `PauboxAlertRelay` stack with two destinations, `ops` (Slack) and `care-team`. */
export const OUTPUTS = {
  WebhookBaseUrl: 'https://abc123.execute-api.eu-west-1.amazonaws.com/paubox/',
  TokenSecretName: 'RelayTokenSecret-abc',
  DedupTableName: 'Relay-DedupTable-XYZ',
  OpsDestinationSecretName: 'RelayOpsWebhookUrlSecret-abc',
  OpsDestinationKind: 'slack',
  OpsQueueArn: QUEUE,
  OpsDeadLetterQueueArn: DLQ,
  CareTeamDestinationSecretName: 'RelayCareTeamWebhookUrlSecret-abc',
  CareTeamDestinationKind: 'auto',
  CareTeamQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:relay-care',
  CareTeamDeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:relay-care-dlq',
  PauboxApiKeySecretName: 'RelayPauboxApiKeySecret-abc',
  /** A destination in Slack app mode. */
  CareAppDestinationSecretName: 'RelayCareAppWebhookUrlSecret-abc',
  CareAppDestinationKind: 'slack',
  CareAppDestinationChannel: 'C0123ABCDEF',
  CareAppQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:relay-care-app',
  CareAppDeadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:relay-care-app-dlq',
};

/**
 * Mocked AWS clients for the operator commands, reset before each test: CloudFormation describes the stack
 * `PauboxAlertRelay` with {@link OUTPUTS} and says any other stack does not exist.
 */
export function mockDeployedStack() {
  const mocks = {
    cfn: mockClient(CloudFormationClient),
    secrets: mockClient(SecretsManagerClient),
    sqs: mockClient(SQSClient),
    dynamo: mockClient(DynamoDBClient),
  };
  beforeEach(() => {
    for (const mock of Object.values(mocks)) mock.reset();
    mocks.cfn
      .on(DescribeStacksCommand)
      .rejects(Object.assign(new Error('Stack with id Other does not exist'), { name: 'ValidationError' }));
    mocks.cfn.on(DescribeStacksCommand, { StackName: 'PauboxAlertRelay' }).resolves({
      Stacks: [
        {
          StackName: 'PauboxAlertRelay',
          CreationTime: new Date(),
          StackStatus: 'UPDATE_COMPLETE',
          Outputs: Object.entries(OUTPUTS).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
        },
      ],
    });
  });
  return mocks;
}

export interface CapturedIo extends CliIo {
  readonly stdout: () => string;
  readonly stderr: () => string;
}

/** A CLI's input and output, captured; `stdin` is what standard input holds. */
export function captureIo(stdin = ''): CapturedIo {
  let out = '';
  let err = '';
  return {
    out: (text) => (out += text),
    err: (text) => (err += text),
    env: {},
    cwd: process.cwd(),
    readStdin: async () => stdin,
    stopSignal: () => new Promise(() => undefined),
    stdout: () => out,
    stderr: () => err,
  };
}
