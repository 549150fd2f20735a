import { ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { sqsQuarantine } from '../../../../functions/ingest/quarantine/sqs-store';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/ingest-dlq';

describe('sqsQuarantine', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());

  it('keeps the body and the attributes the queue carried, plus the reason, so a redrive replays the webhook', async () => {
    sqs.on(SendMessageCommand).resolves({ MessageId: 'm-1' });
    const store = sqsQuarantine(() => new SQSClient({}), QUEUE);
    const id = await store.keep(
      {
        body: Buffer.from('{"not":"paubox"}'),
        receivedAt: new Date(),
        attributes: { token: { stringValue: 'v=abc' }, webhookId: undefined, empty: {} },
      },
      'invalid_payload: event_type',
    );
    expect(id).toBe('m-1');
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input).toEqual({
      QueueUrl: QUEUE,
      MessageBody: '{"not":"paubox"}',
      MessageAttributes: {
        token: { DataType: 'String', StringValue: 'v=abc' },
        reason: { DataType: 'String', StringValue: 'invalid_payload: event_type' },
      },
    });
  });

  it('lists the queue by attributes, leaving the messages where they are, until it runs dry', async () => {
    const a = {
      MessageId: 'a',
      Body: 'xyz',
      Attributes: { SentTimestamp: '1773648000000' },
      MessageAttributes: { reason: { DataType: 'String', StringValue: 'malformed_json' } },
    };
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({ Messages: [a, { MessageId: 'b', Body: '', Attributes: {} }] })
      .resolves({ Messages: [a] });
    const listed = await sqsQuarantine(() => new SQSClient({}), QUEUE).list();
    expect(listed).toEqual([
      { id: 'a', receivedAt: '2026-03-16T08:00:00.000Z', reason: 'malformed_json', bytes: 3 },
      { id: 'b', receivedAt: new Date(0).toISOString(), reason: 'unknown', bytes: 0 },
    ]);
    const receives = sqs.commandCalls(ReceiveMessageCommand);
    expect(receives.length).toBe(4);
    expect(receives.every((c) => c.args[0].input.VisibilityTimeout === 0)).toBe(true);
  });
});
