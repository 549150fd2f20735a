import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { sqsDeadLetterSink } from '../../../../functions/delivery/dead-letters/sqs-sink';

describe('sqsDeadLetterSink', () => {
  const sqs = mockClient(SQSClient);
  beforeEach(() => sqs.reset());
  const letter = {
    destination: 'ops',
    eventKey: 'k'.repeat(32),
    eventType: 'permanent_failure',
    reason: 'no_service',
    failedAt: '2026-11-22T10:00:00.000Z',
    body: '{"recipients":["someone@patients.example.org"]}',
  };

  it('puts the original body on the DLQ, with the reason and event as attributes', async () => {
    sqs.on(SendMessageCommand).resolves({});
    await sqsDeadLetterSink(() => new SQSClient({}), 'https://sqs.eu-west-1.amazonaws.com/1/ops-dlq').put({
      ...letter,
      status: 404,
    });
    const input = sqs.commandCalls(SendMessageCommand)[0]!.args[0].input;
    expect(input.QueueUrl).toBe('https://sqs.eu-west-1.amazonaws.com/1/ops-dlq');
    expect(input.MessageBody).toBe(letter.body);
    expect(input.MessageAttributes).toEqual({
      reason: { DataType: 'String', StringValue: 'no_service' },
      destination: { DataType: 'String', StringValue: 'ops' },
      event_key: { DataType: 'String', StringValue: letter.eventKey },
      event_type: { DataType: 'String', StringValue: 'permanent_failure' },
      failed_at: { DataType: 'String', StringValue: letter.failedAt },
      status: { DataType: 'Number', StringValue: '404' },
    });
  });

  it('leaves the status out when there was no HTTP answer, and rejects when SQS does', async () => {
    sqs.on(SendMessageCommand).resolvesOnce({}).rejectsOnce(new Error('unavailable'));
    const sink = sqsDeadLetterSink(() => new SQSClient({}), 'https://sqs.eu-west-1.amazonaws.com/1/ops-dlq');
    await sink.put(letter);
    expect(sqs.commandCalls(SendMessageCommand)[0]!.args[0].input.MessageAttributes).not.toHaveProperty('status');
    await expect(sink.put(letter)).rejects.toThrow('unavailable');
  });
});
