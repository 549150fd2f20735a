import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';
import { snsPublisher } from '../../../functions/ingest/sns-publisher';
import { routingAttributes } from '../../../functions/routing';
import { fixtureEvent } from '../../support/events';

describe('snsPublisher', () => {
  const sns = mockClient(SNSClient);
  beforeEach(() => sns.reset());

  it('publishes the event as JSON with the routing attributes the subscriptions filter on', async () => {
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const event = fixtureEvent('permanent_failure');
    await snsPublisher(new SNSClient({}), 'arn:aws:sns:eu-west-1:111122223333:relay').publish(
      event,
      routingAttributes(event),
    );
    const input = sns.commandCalls(PublishCommand)[0]!.args[0].input;
    expect(input.TopicArn).toBe('arn:aws:sns:eu-west-1:111122223333:relay');
    expect(JSON.parse(input.Message!)).toEqual(event);
    expect(input.MessageAttributes).toEqual({
      event_type: { DataType: 'String', StringValue: 'permanent_failure' },
      sender_domain: { DataType: 'String', StringValue: event.senderDomain },
    });
  });

  it('rejects when SNS refuses, so the caller can keep the event elsewhere', async () => {
    sns.on(PublishCommand).rejects(new Error('throttled'));
    const event = fixtureEvent('delivered');
    await expect(
      snsPublisher(new SNSClient({}), 'arn:aws:sns:eu-west-1:111122223333:relay').publish(
        event,
        routingAttributes(event),
      ),
    ).rejects.toThrow('throttled');
  });
});
