import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { sqsFallbackPublisher } from '../../../functions/ingest/sqs-fallback-publisher';
import { routingAttributes } from '../../../functions/routing/filter-policy';
import { fixtureEvent } from '../../support/events';

describe('sqsFallbackPublisher', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());

  it('keeps the event as JSON in the fallback queue, making its client only when first used', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    let made = 0;
    const client = () => {
      made++;
      return new SQSClient({});
    };
    const publisher = sqsFallbackPublisher(client, 'https://sqs.eu-west-1.amazonaws.com/111122223333/fallback');
    expect(made).toBe(0);
    const event = fixtureEvent('temporary_failure');
    await publisher.publish(event, routingAttributes(event));
    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/111122223333/fallback');
    expect(JSON.parse(input.MessageBody!)).toEqual(event);
    expect(made).toBe(1);
  });
});
