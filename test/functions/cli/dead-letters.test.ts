import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DeleteMessageCommand, GetQueueAttributesCommand, ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { runCli } from '../../../functions/cli/run-cli';
import { captureIo, mockDeployedStack } from '../../support/deployed-stack';

const { sqs } = mockDeployedStack();

describe('dead-letters', () => {
  const message = (id: string, attributes: Record<string, string>) => ({
    MessageId: id,
    Body: '{"recipients":["jordan.lee@patients.example.org"],"subject":"Your appointment"}',
    Attributes: { SentTimestamp: '1767322800000' },
    MessageAttributes: Object.fromEntries(
      Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
    ),
  });

  it('counts the DLQ and reads reasons from message attributes, without deleting or showing bodies', async () => {
    sqs
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { ApproximateNumberOfMessages: '3', ApproximateNumberOfMessagesNotVisible: '0' } });
    sqs
      .on(ReceiveMessageCommand)
      .resolvesOnce({
        Messages: [
          message('a', {
            reason: 'no_service',
            event_type: 'permanent_failure',
            event_key: 'k1',
            failed_at: '2026-01-02T03:04:05.000Z',
            status: '404',
          }),
          message('b', {
            reason: 'no_service',
            event_type: 'temporary_failure',
            event_key: 'k2',
            failed_at: '2026-01-02T03:05:00.000Z',
          }),
        ],
      })
      // The same message again (receives are samples), then one SQS moved itself: no reason attribute.
      .resolvesOnce({ Messages: [message('a', { reason: 'no_service' }), message('c', { event_type: 'opened' })] });
    const cli = captureIo();
    await expect(runCli(['dead-letters', 'ops'], cli)).resolves.toBe(0);
    const out = cli.stdout();
    expect(out).toContain('ops: about 3 dead letter(s); reasons of the 3 read:');
    expect(out).toContain('  no_service: 2');
    expect(out).toContain('  max_receives_exceeded: 1');
    expect(out).toContain('2026-01-02T03:04:05.000Z permanent_failure key k1 (no_service, HTTP 404)');
    expect(out).toContain('npx paubox-relay redrive ops');
    for (const phi of ['jordan.lee', 'Your appointment']) expect(out).not.toContain(phi);
    for (const call of sqs.commandCalls(ReceiveMessageCommand)) {
      expect(call.args[0].input).toMatchObject({
        QueueUrl: 'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ops-dlq',
        VisibilityTimeout: 0,
      });
    }
    expect(sqs.commandCalls(DeleteMessageCommand)).toHaveLength(0);
  });

  it('says so when there are none, without receiving anything', async () => {
    sqs
      .on(GetQueueAttributesCommand)
      .resolves({ Attributes: { ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' } });
    const cli = captureIo();
    await expect(runCli(['dead-letters', 'ops'], cli)).resolves.toBe(0);
    expect(cli.stdout()).toBe('no dead letters for ops\n');
    expect(sqs.commandCalls(ReceiveMessageCommand)).toHaveLength(0);
  });

  it('without a name, says how to name one, with the names of ./relay.config.json, then its usage', async () => {
    const cwd = mkdtempSync(join(tmpdir(), 'relay-dead-letters-'));
    const cli = { ...captureIo(), cwd };
    await expect(runCli(['dead-letters'], cli)).resolves.toBe(2);
    const [first, second] = cli.stderr().split('\n');
    expect(first).toBe(
      "paubox-relay dead-letters: which destination? npx paubox-relay dead-letters <name> reads a deployed destination's " +
        "dead letters; npx paubox-relay dead-letters --local reads the local relay's",
    );
    expect(second).toBe('usage: npx paubox-relay dead-letters [name] [--local] [--max <n>] [--stack <name>]');

    copyFileSync(join(__dirname, '..', '..', '..', 'relay.config.example.json'), join(cwd, 'relay.config.json'));
    const named = { ...captureIo(), cwd };
    await expect(runCli(['dead-letters'], named)).resolves.toBe(2);
    expect(named.stderr().split('\n')[0]).toBe(
      "paubox-relay dead-letters: which destination? npx paubox-relay dead-letters ops reads a deployed destination's " +
        "dead letters (relay.config.json names ops, care-team); npx paubox-relay dead-letters --local reads the local relay's",
    );
  });
});
