import { OpsError } from '../../../functions/aws/errors';
import { deployedDestination, explainAwsError, queueUrlOf, requireOutput } from '../../../functions/aws/stack-outputs';

const named = (name: string, message: string) => Object.assign(new Error(message), { name });

describe('explainAwsError', () => {
  it.each([
    [named('CredentialsProviderError', 'Could not load credentials from any providers'), /^no AWS credentials found/],
    [new Error('Region is missing'), /^no AWS region: set AWS_REGION/],
    [named('ValidationError', 'Stack with id Other does not exist'), /^stack Relay does not exist in this account/],
    [
      named('AccessDeniedException', 'User is not authorized to perform cloudformation:DescribeStacks'),
      /^AWS refused the call/,
    ],
  ])('turns %p into what to do', (error, message) => {
    const explained = explainAwsError(error, 'Relay');
    expect(explained).toBeInstanceOf(OpsError);
    expect(explained.message).toMatch(message);
  });

  it('lets other errors and OpsErrors through as they are', () => {
    const other = new TypeError('x is undefined');
    expect(explainAwsError(other, 'Relay')).toBe(other);
    const ops = new OpsError('fix it');
    expect(explainAwsError(ops, 'Relay')).toBe(ops);
    expect(explainAwsError('odd', 'Relay').message).toBe('odd');
  });
});

describe('stack outputs', () => {
  const outputs = new Map([
    ['CareTeamDestinationSecretName', 'care-secret'],
    ['CareTeamQueueArn', 'arn:aws:sqs:eu-west-1:111122223333:care'],
    ['CareTeamDeadLetterQueueArn', 'arn:aws:sqs:eu-west-1:111122223333:care-dlq'],
  ]);

  it('finds a destination by its name in PascalCase; its kind is auto when the stack does not say', () => {
    expect(deployedDestination(outputs, 'care-team', 'Relay')).toEqual({
      name: 'care-team',
      secretName: 'care-secret',
      kind: 'auto',
      queueArn: 'arn:aws:sqs:eu-west-1:111122223333:care',
      deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111122223333:care-dlq',
    });
  });

  it('says which outputs an older or foreign stack lacks', () => {
    expect(() => requireOutput(outputs, 'DedupTableName', 'Relay')).toThrow(
      'stack Relay has no output DedupTableName: is it a Paubox alert relay stack?',
    );
    expect(() => deployedDestination(outputs, 'ops', 'Relay')).toThrow('deployed destinations: CareTeam');
  });

  it('turns a queue ARN into its URL, in China regions too', () => {
    expect(queueUrlOf('arn:aws:sqs:eu-west-1:111122223333:care')).toBe(
      'https://sqs.eu-west-1.amazonaws.com/111122223333/care',
    );
    expect(queueUrlOf('arn:aws-cn:sqs:cn-north-1:111122223333:care')).toBe(
      'https://sqs.cn-north-1.amazonaws.com.cn/111122223333/care',
    );
  });
});
