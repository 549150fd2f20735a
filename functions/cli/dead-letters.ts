import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { deployedDestination, queueUrlOf, readStackOutputs } from '../aws';
import { checkDestinationUrl } from '../chat';
import { loadRelayConfigFile } from '../config';
import { summarizeDeadLetters, FileDeadLetterStore } from '../delivery';
import { AWS_NOTE, STACK_OPTION, stackOf, wholeNumber, type CliIo, type Command } from './command';
import { UsageError } from './errors';

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
      if (message.MessageId && !seen.has(message.MessageId) && seen.size < max)
        seen.set(message.MessageId, summaryOf(message));
    }
    idle = seen.size > before ? 0 : idle + 1;
    if (seen.size >= approximateCount) break;
  }
  const letters = [...seen.values()].sort((a, b) => a.failedAt.localeCompare(b.failedAt));
  return { approximateCount, inFlight, byReason: summarizeDeadLetters(letters), letters };
}

/** The local relay's dead letters, by destination and reason; never a body. */
async function localDeadLetters(destination: string | undefined, io: CliIo): Promise<number> {
  const dataDir = io.env.RELAY_DATA_DIR || resolve(io.cwd, '.relay-data');
  const letters = await new FileDeadLetterStore(dataDir, { warn: (note) => io.err(`${note}\n`) }).list(destination);
  if (letters.length === 0) {
    io.out(`no dead letters${destination ? ` for ${destination}` : ''} in ${dataDir}\n`);
    return 0;
  }
  const lines: string[] = [];
  for (const name of [...new Set(letters.map((l) => l.destination))].sort()) {
    const mine = letters.filter((l) => l.destination === name);
    lines.push(`${name}: ${mine.length} dead letter(s)`);
    for (const [reason, count] of Object.entries(summarizeDeadLetters(mine))) lines.push(`  ${reason}: ${count}`);
    for (const l of mine.slice(-10)) lines.push(`    ${l.failedAt} ${l.eventType} key ${l.eventKey} (${l.reason})`);
  }
  io.out(`${lines.join('\n')}\n`);
  return 0;
}

/** What `dead-letters` without a name says: how to name one, with the names of ./relay.config.json if it has any. */
function whichDestination(io: CliIo): string {
  let names: string[] = [];
  try {
    const config = loadRelayConfigFile(resolve(io.cwd, 'relay.config.json'), 'local', checkDestinationUrl);
    names = config.destinations.filter((d) => d.kind !== 'console').map((d) => d.name);
  } catch {
    // No readable configuration here: the advice goes without names.
  }
  const example = names[0] ?? '<name>';
  return (
    `which destination? npx paubox-relay dead-letters ${example} reads a deployed destination's dead letters` +
    `${names.length > 0 ? ` (relay.config.json names ${names.join(', ')})` : ''}; ` +
    "npx paubox-relay dead-letters --local reads the local relay's"
  );
}

/** `dead-letters`: a destination's dead letters by reason, deployed or local. */
export const deadLettersCommand: Command = {
  name: 'dead-letters',
  summary: "count a destination's dead letters by reason (no PHI)",
  usage: '[name] [--local] [--max <n>] [--stack <name>]',
  details:
    "  --local   read the local relay's dead letters ($RELAY_DATA_DIR, default ./.relay-data); name optional\n" +
    '  --max     at most this many deployed dead letters are read for their reasons (default 100)\n' +
    `${AWS_NOTE}\nShows reasons, event types, keys and times; never a body. Nothing is deleted.`,
  options: { ...STACK_OPTION, local: { type: 'boolean' }, max: { type: 'string' } },
  positionals: { min: 0, max: 1 },
  async run([name], values, io) {
    if (values.local === true) return localDeadLetters(name, io);
    if (name === undefined) throw new UsageError(whichDestination(io));
    const max = wholeNumber(values, 'max', 100, 1, 10_000);
    const report = await deployedDeadLetters(
      name,
      stackOf(values),
      { cloudFormation: new CloudFormationClient({}), sqs: new SQSClient({}) },
      max,
    );
    if (report.approximateCount === 0) {
      io.out(`no dead letters for ${name}${report.inFlight > 0 ? ` (${report.inFlight} being moved or read)` : ''}\n`);
      return 0;
    }
    const lines = [
      `${name}: about ${report.approximateCount} dead letter(s); reasons of the ${report.letters.length} read:`,
    ];
    for (const [reason, count] of Object.entries(report.byReason)) lines.push(`  ${reason}: ${count}`);
    lines.push('latest:');
    for (const l of report.letters.slice(-10)) {
      lines.push(
        `  ${l.failedAt} ${l.eventType} key ${l.eventKey} (${l.reason}${l.status !== undefined ? `, HTTP ${l.status}` : ''})`,
      );
    }
    lines.push(`Fix the cause (see the README runbook), then: npx paubox-relay redrive ${name}`);
    io.out(`${lines.join('\n')}\n`);
    return 0;
  },
};
