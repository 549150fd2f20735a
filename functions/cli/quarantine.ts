import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SQSClient } from '@aws-sdk/client-sqs';
import { readStackOutputs, requireOutput } from '../aws';
import { FileQuarantine } from '../ingest';
import type { QuarantinedWebhook } from '../ingest';
import { sqsQuarantine } from '../ingest';
import { localSettings } from '../local';
import { AWS_NOTE, STACK_OPTION, stackOf, type Command } from './command';

/** The stack output naming the quarantine queue. */
export const QUARANTINE_OUTPUT = 'QuarantineQueueUrl';

/** Lists a deployed quarantine, the queue its stack names. */
export async function deployedQuarantine(
  stackName: string,
  clients: { cloudFormation: CloudFormationClient; sqs: SQSClient },
  max = 100,
): Promise<QuarantinedWebhook[]> {
  const outputs = await readStackOutputs(clients.cloudFormation, stackName);
  const queueUrl = requireOutput(outputs, QUARANTINE_OUTPUT, stackName);
  return sqsQuarantine(() => clients.sqs, queueUrl).list(max);
}

/** `quarantine`: the webhooks kept unread, by id, time and reason. */
export const quarantineCommand: Command = {
  name: 'quarantine',
  summary: 'list the webhooks kept unread (right token, body not a Paubox event): ids, times, reasons',
  usage: '[--local [--config <path>]] [--stack <name>]',
  details:
    "  --local    the local relay's quarantine (<data dir>/quarantine/webhooks.jsonl, readable by you only)\n" +
    `Bodies are never shown: they may hold PHI.\n${AWS_NOTE}`,
  options: { ...STACK_OPTION, local: { type: 'boolean' }, config: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values, io) {
    let entries: QuarantinedWebhook[];
    if (values.local) {
      const config = typeof values.config === 'string' ? { RELAY_CONFIG: resolve(io.cwd, values.config) } : {};
      const { dataDir } = localSettings({ ...io.env, ...config }, io.cwd);
      entries = await new FileQuarantine(dataDir, { warn: (note) => io.err(`${note}\n`) }).list();
    } else {
      entries = await deployedQuarantine(stackOf(values), {
        cloudFormation: new CloudFormationClient({}),
        sqs: new SQSClient({}),
      });
    }
    io.out(`${entries.length} webhook(s) in the quarantine\n`);
    for (const e of entries) io.out(`${e.receivedAt} ${e.id} (${e.reason}, ${e.bytes} bytes)\n`);
    return 0;
  },
};
