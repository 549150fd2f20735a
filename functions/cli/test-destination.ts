import { randomUUID } from 'node:crypto';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { messageAttributes } from '../aws';
import { deployedDestination, queueUrlOf, readStackOutputs, requireOutput } from '../aws';
import { dedupPk } from '../delivery';
import { tableKey } from '../delivery';
import { realSleep } from '../delivery';
import type { RelayEvent } from '../paubox';
import { routingAttributes } from '../routing';
import { AWS_NOTE, FAILED, STACK_OPTION, stackOf, wholeNumber, type Command } from './command';

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
  /** The destination posts as a Slack app (its fix is never a URL). */
  readonly app?: true;
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
  const app = destination.channel !== undefined ? { app: true as const } : {};
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
      new GetItemCommand({ TableName: table, Key: tableKey(dedupPk(name, event.key)), ConsistentRead: true }),
    );
    const state = Item?.state?.S;
    const elapsedMs = now() - started;
    if (state === 'posted') return { eventKey: event.key, outcome: 'posted', elapsedMs };
    if (state === 'dead') return { eventKey: event.key, outcome: 'dead_lettered', elapsedMs, ...app };
    if (elapsedMs >= options.waitMs) return { eventKey: event.key, outcome: 'timed_out', elapsedMs };
    await sleep(pollMs);
  }
}

/** `test-destination`: a labelled test alert through the deployed notifier. */
export const testDestinationCommand: Command = {
  name: 'test-destination',
  summary: 'send a clearly labelled test alert through the deployed notifier to a destination',
  usage: '<name> [--wait <seconds>] [--stack <name>]',
  details:
    '  --wait   how long to wait for the notifier to post it (default 60; 0 only queues it)\n' +
    `${AWS_NOTE}\nThe alert is titled "Test alert" and holds no real address. Exits 1 unless it was posted.`,
  options: { ...STACK_OPTION, wait: { type: 'string' } },
  positionals: { min: 1, max: 1 },
  async run([name], values, io) {
    const waitSeconds = wholeNumber(values, 'wait', 60, 0, 900);
    const result = await sendTestAlert(
      name!,
      stackOf(values),
      { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}), dynamodb: new DynamoDBClient({}) },
      { waitMs: waitSeconds * 1000 },
    );
    const seconds = (result.elapsedMs / 1000).toFixed(1);
    switch (result.outcome) {
      case 'queued':
        io.out(`Test alert ${result.eventKey} queued for "${name}".\n`);
        return 0;
      case 'posted':
        io.out(`Test alert posted to "${name}" in ${seconds} s: look for "Test alert" in the channel.\n`);
        return 0;
      case 'dead_lettered':
        io.err(
          `The notifier could not post the test alert to "${name}" and dead-lettered it.\n` +
            `See why: npx paubox-relay dead-letters ${name}; ` +
            (result.app
              ? 'then npx paubox-relay check-destinations names the fix (invite the app, a live channel, a new token)\n'
              : `fix the URL: npx paubox-relay set-destination ${name} <url>\n`),
        );
        return FAILED;
      case 'timed_out':
        io.err(
          `No verdict on the test alert after ${seconds} s: the notifier may be retrying (a 5xx or a rate limit) or ` +
            `unable to read its secret. See the "${name}" row of the relay dashboard and the notifier's log group ` +
            `(event key ${result.eventKey}).\n`,
        );
        return FAILED;
    }
  },
};
