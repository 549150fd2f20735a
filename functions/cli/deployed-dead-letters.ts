import type { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import { summarizeDeadLetters } from '../delivery/dead-letters/dead-letter';
import { deployedDestination, queueUrlOf, readStackOutputs } from '../aws/stack-outputs';

export interface DeadLettersClients {
  readonly cloudFormation: CloudFormationClient;
  readonly sqs: SQSClient;
}

/** What may be shown of one dead letter: the attributes the notifier set, never the body (which holds PHI). */
export interface DeadLetterSummary {
  readonly reason: string;
  readonly eventType: string;
  readonly eventKey: string;
  readonly failedAt: string;
  readonly status?: number;
}

export interface DeadLetterReport {
  /** SQS's approximate count of visible messages in the dead-letter queue. */
  readonly approximateCount: number;
  /** Messages being received right now (a redrive in progress, or another reader). */
  readonly inFlight: number;
  /** The letters read, by reason; at most `max` of them. */
  readonly byReason: Readonly<Record<string, number>>;
  readonly letters: readonly DeadLetterSummary[];
}

/** Set when SQS itself moved the message (the notifier could not): no reason was recorded. */
const MOVED_BY_SQS = 'max_receives_exceeded';

function summaryOf(message: Message): DeadLetterSummary {
  const attribute = (key: string) => message.MessageAttributes?.[key]?.StringValue;
  const sent = message.Attributes?.SentTimestamp;
  const status = attribute('status');
  return {
    reason: attribute('reason') ?? MOVED_BY_SQS,
    eventType: attribute('event_type') ?? 'unknown',
    eventKey: attribute('event_key') ?? 'unknown',
    failedAt: attribute('failed_at') ?? (sent ? new Date(Number(sent)).toISOString() : 'unknown'),
    ...(status !== undefined ? { status: Number(status) } : {}),
  };
}

/**
 * Counts a deployed destination's dead letters and reads their reasons from the message attributes the notifier
 * set. Messages are received with a visibility timeout of 0, so they stay visible (a redrive right after moves
 * them all) and none is deleted; bodies are never looked at.
 */
export async function deployedDeadLetters(
  name: string,
  stackName: string,
  clients: DeadLettersClients,
  max = 100,
): Promise<DeadLetterReport> {
  const destination = deployedDestination(await readStackOutputs(clients.cloudFormation, stackName), name, stackName);
  const queueUrl = queueUrlOf(destination.deadLetterQueueArn);
  const { Attributes } = await clients.sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  const approximateCount = Number(Attributes?.ApproximateNumberOfMessages ?? '0');
  const inFlight = Number(Attributes?.ApproximateNumberOfMessagesNotVisible ?? '0');

  const seen = new Map<string, DeadLetterSummary>();
  // Receives return a random sample; stop when a few in a row bring nothing new.
  for (let idle = 0; approximateCount > 0 && seen.size < max && idle < 3; ) {
    const { Messages } = await clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: queueUrl,
        MaxNumberOfMessages: 10,
        VisibilityTimeout: 0,
        WaitTimeSeconds: 0,
        MessageAttributeNames: ['reason', 'event_type', 'event_key', 'failed_at', 'status'],
        MessageSystemAttributeNames: ['SentTimestamp'],
      }),
    );
    const before = seen.size;
    for (const message of Messages ?? []) {
      if (message.MessageId && !seen.has(message.MessageId) && seen.size < max) seen.set(message.MessageId, summaryOf(message));
    }
    idle = seen.size > before ? 0 : idle + 1;
    if (seen.size >= approximateCount) break;
  }
  const letters = [...seen.values()].sort((a, b) => a.failedAt.localeCompare(b.failedAt));
  return { approximateCount, inFlight, byReason: summarizeDeadLetters(letters), letters };
}
