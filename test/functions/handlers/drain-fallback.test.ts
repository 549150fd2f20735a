import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { fixtureEvent } from '../../support/events';

const sns = mockClient(SNSClient);
let handler: (event: SQSEvent) => Promise<SQSBatchResponse>;

beforeAll(() => {
  process.env.TOPIC_ARN = 'arn:aws:sns:eu-west-1:111122223333:relay-topic';
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
  ({ handler } =
    require('../../../functions/handlers/drain-fallback') as typeof import('../../../functions/handlers/drain-fallback'));
});

describe('fallback drainer Lambda', () => {
  it('republishes kept events with their routing attributes and hands back only the ones SNS refused', async () => {
    const first = fixtureEvent('permanent_failure');
    const second = fixtureEvent('temporary_failure');
    sns.on(PublishCommand).resolvesOnce({ MessageId: '1' }).rejectsOnce(new Error('throttled'));
    const response = await handler({
      Records: [
        { messageId: 'a', body: JSON.stringify(first) },
        { messageId: 'b', body: JSON.stringify(second) },
        { messageId: 'c', body: 'garbage' },
      ],
    } as unknown as SQSEvent);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'b' }, { itemIdentifier: 'c' }]);
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(JSON.parse(input.Message!)).toEqual(first);
    expect(input.MessageAttributes).toEqual({
      event_type: { DataType: 'String', StringValue: 'permanent_failure' },
      sender_domain: { DataType: 'String', StringValue: 'mail.clinic.example.com' },
    });
  });
});
