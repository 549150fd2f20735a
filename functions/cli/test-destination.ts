import { randomUUID } from 'node:crypto';
import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetItemCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { RelayEvent } from '../paubox/relay-event';
import { messageAttributes } from '../aws/message-attributes';
import { dedupPk } from '../delivery/dedup/dynamodb-store';
import { realSleep } from '../delivery/retry';
import { routingAttributes } from '../routing/filter-policy';
import { deployedDestination, queueUrlOf, readStackOutputs, requireOutput } from '../aws/stack-outputs';

export interface TestDestinationClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
  readonly dynamodb: DynamoDBClient;
}

export interface TestDestinationOptions {
  /** How long to wait for the notifier's verdict; 0 returns once the event is queued. */
  readonly waitMs: number;
  readonly pollMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export type TestOutcome = 'queued' | 'posted' | 'dead_lettered' | 'timed_out';

export interface TestDestinationResult {
  readonly eventKey: string;
  readonly outcome: TestOutcome;
  readonly elapsedMs: number;
}

const TEST_DOMAIN = 'paubox-relay.invalid';

/**
 * A synthetic event, labelled as a test on every platform (`test: true`), with no real address in it: the
 * sender and Message-ID are on the reserved `.invalid` domain, the recipient on `example.com`.
 */
export function testEvent(now: Date, id: string = randomUUID().replace(/-/g, '')): RelayEvent {
  return {
    key: `test-${id}`,
    type: 'delivered',
    time: now.toISOString(),
    messageId: `<test-${id}@${TEST_DOMAIN}>`,
    sender: `test-alert@${TEST_DOMAIN}`,
    senderDomain: TEST_DOMAIN,
    recipients: ['nobody@example.com'],
    recipientDomains: ['example.com'],
    subject: 'Test alert from paubox-relay test-destination',
    customHeaders: {},
    test: true,
  };
}

/**
 * Puts a test event on the destination's queue, so that it goes through the deployed notifier, its secret, the
 * renderer and the chat platform as a real alert does, then watches the de-duplication table for the verdict.
 */
export async function sendTestAlert(
  name: string,
  stackName: string,
  clients: TestDestinationClients,
  options: TestDestinationOptions,
): Promise<TestDestinationResult> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const outputs = await readStackOutputs(clients.cloudFormation, stackName);
  const destination = deployedDestination(outputs, name, stackName);
  const table = requireOutput(outputs, 'DedupTableName', stackName);
  const event = testEvent(new Date(now()));
  const started = now();
  await clients.sqs.send(
    new SendMessageCommand({
      QueueUrl: queueUrlOf(destination.queueArn),
      // As SNS delivers it (raw delivery keeps the attributes), though the notifier reads only the body.
      MessageBody: JSON.stringify(event),
      MessageAttributes: messageAttributes(routingAttributes(event)),
    }),
  );
  if (options.waitMs <= 0) return { eventKey: event.key, outcome: 'queued', elapsedMs: 0 };

  const pollMs = options.pollMs ?? 2_000;
  for (;;) {
    const { Item } = await clients.dynamodb.send(
      new GetItemCommand({ TableName: table, Key: { pk: { S: dedupPk(name, event.key) } }, ConsistentRead: true }),
    );
    const state = Item?.state?.S;
    const elapsedMs = now() - started;
    if (state === 'posted') return { eventKey: event.key, outcome: 'posted', elapsedMs };
    if (state === 'dead') return { eventKey: event.key, outcome: 'dead_lettered', elapsedMs };
    if (elapsedMs >= options.waitMs) return { eventKey: event.key, outcome: 'timed_out', elapsedMs };
    await sleep(pollMs);
  }
}
