import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { resolve } from 'node:path';
import { deployedDestination, queueUrlOf, readStackOutputs, requireOutput } from '../aws';
import { probeLine } from '../health';
import { runSelfTest, type SelfTestDeps, SelfTestError } from '../ingest';
import { memorySelfTestRecords } from '../ingest';
import { dynamoSelfTestRecords } from '../ingest';
import { FileDeadLetterStore } from '../delivery';
import { localSettings } from '../local';
import { checkDeployedDestinations, checkLocalDestinations, type CheckedDestination } from './check-destinations';
import { AWS_NOTE, FAILED, STACK_OPTION, stackOf, type CliIo, type Command, type OptionValues } from './command';
import { deployedWebhookUrl } from './webhook-url';

/** One hop's line: `ok`/`BROKEN`, its name, what was seen, how long it took; a broken one says what to do. */
interface Hop {
  readonly name: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly ms?: number;
}

const line = (hop: Hop) =>
  `${hop.ok ? 'ok    ' : 'BROKEN'}  ${hop.name.padEnd(28)} ${hop.detail}${hop.ms !== undefined ? ` (${hop.ms} ms)` : ''}\n`;

/** Prints hops until the first broken one; resolves to whether all were ok. */
async function printHops(io: CliIo, hops: AsyncIterable<Hop>): Promise<boolean> {
  for await (const hop of hops) {
    io.out(line(hop));
    if (!hop.ok) return false;
  }
  return true;
}

/** The accept path: api, queued, consumed; then what a self-test cannot show (it is never published). */
async function* acceptPath(webhookUrl: string, records: SelfTestDeps['records'], readTimeoutMs?: number) {
  const passed: Hop[] = [];
  try {
    await runSelfTest({
      webhookUrl,
      records,
      ...(readTimeoutMs !== undefined ? { readTimeoutMs } : {}),
      onHop: (h) => passed.push({ name: h.hop, ok: true, detail: h.detail, ms: h.ms }),
    });
  } catch (error) {
    yield* passed;
    if (!(error instanceof SelfTestError)) throw error;
    yield { name: error.hop, ok: false, detail: error.message.slice(error.hop.length + 2) };
    return;
  }
  yield* passed;
  yield {
    name: 'published',
    ok: true,
    detail: 'not exercised: a self-test is never published; the lines below show what the notifiers did',
  };
}

/** Each destination's probe, after its queue and notifier. */
function* probes(checked: readonly CheckedDestination[]): Generator<Hop> {
  for (const { name, kind, result } of checked) {
    yield { name: `${name} probe`, ok: result.status !== 'broken', detail: probeLine(name, kind, result) };
  }
}

async function* local(io: CliIo, configPath: string | undefined): AsyncGenerator<Hop> {
  const env = configPath === undefined ? io.env : { ...io.env, RELAY_CONFIG: resolve(io.cwd, configPath) };
  const settings = localSettings(env, io.cwd);
  const host = settings.host === '0.0.0.0' || settings.host === '::' ? '127.0.0.1' : settings.host;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${settings.port}/paubox/${encodeURIComponent(settings.token)}`;
  let ok = true;
  // The local relay reads a webhook as it answers it: its answer is the record, no wait is needed.
  for await (const hop of acceptPath(url, memorySelfTestRecords(), 1_000)) {
    yield hop;
    ok &&= hop.ok;
  }
  if (!ok) return;
  const deadLetters = await new FileDeadLetterStore(settings.dataDir).list();
  for (const { name } of settings.config.destinations) {
    yield { name: `${name} queue`, ok: true, detail: 'in process (the local relay fans out as it accepts)' };
    const mine = deadLetters.filter((l) => l.destination === name).length;
    yield {
      name: `${name} notifier`,
      ok: mine === 0,
      detail:
        mine === 0
          ? 'no dead letters'
          : `${mine} dead letter(s); see why: npx paubox-relay dead-letters --local ${name}`,
    };
  }
  yield* probes(await checkLocalDestinations(io, configPath));
}

async function* deployed(stackName: string): AsyncGenerator<Hop> {
  const cloudFormation = new CloudFormationClient({});
  const secrets = new SecretsManagerClient({});
  const outputs = await readStackOutputs(cloudFormation, stackName);
  const table = requireOutput(outputs, 'DedupTableName', stackName);
  const dynamo = new DynamoDBClient({});
  const url = await deployedWebhookUrl(stackName, { cloudFormation, secrets });
  let ok = true;
  for await (const hop of acceptPath(
    url,
    dynamoSelfTestRecords(() => dynamo, table),
  )) {
    yield hop;
    ok &&= hop.ok;
  }
  if (!ok) return;
  const sqs = new SQSClient({});
  const count = async (arn: string) => {
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: queueUrlOf(arn), AttributeNames: ['ApproximateNumberOfMessages'] }),
    );
    return Number(Attributes?.ApproximateNumberOfMessages ?? 0);
  };
  const checked = await checkDeployedDestinations(stackName, { cloudFormation, secrets });
  for (const { name } of checked) {
    const destination = deployedDestination(outputs, name, stackName);
    const start = Date.now();
    yield {
      name: `${name} queue`,
      ok: true,
      detail: `${await count(destination.queueArn)} waiting`,
      ms: Date.now() - start,
    };
    const dead = await count(destination.deadLetterQueueArn);
    yield {
      name: `${name} notifier`,
      ok: dead === 0,
      detail: dead === 0 ? 'no dead letters' : `${dead} dead letter(s); see why: npx paubox-relay dead-letters ${name}`,
    };
  }
  yield* probes(checked);
}

/** `verify`: the deploy's self-test on demand, then each destination's queue, notifier and silent probe. */
export const verifyCommand: Command = {
  name: 'verify',
  summary: 'prove the relay end to end: a self-test webhook through the real URL, then every destination, silently',
  usage: '[--local [--config <path>]] [--stack <name>]',
  details:
    '  --local    the running local relay (npm start: $PORT, $RELAY_TOKEN, $RELAY_DATA_DIR, as serve reads them)\n' +
    'Posts a self-test webhook as Paubox does (never relayed to a channel), waits up to a minute for the consumer\n' +
    "to read it, then reads each destination's queue and dead letters and probes it without posting.\n" +
    `Prints one line per hop with its time; exits 1 at the first broken hop, with the fix.\n${AWS_NOTE}`,
  options: { ...STACK_OPTION, local: { type: 'boolean' }, config: { type: 'string' } },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values: OptionValues, io) {
    const hops = values.local
      ? local(io, typeof values.config === 'string' ? values.config : undefined)
      : deployed(stackOf(values));
    return (await printHops(io, hops)) ? 0 : FAILED;
  },
};
