import { resolve } from 'node:path';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { itemLine } from '../alerts';
import { reportFacts, reportLists } from '../alerts';
import { toReportView } from '../alerts';
import { archiveDirOf } from '../archive';
import { DEFAULT_STACK_NAME, deployedDestination, queueUrlOf, readStackOutputs, requireOutput } from '../aws';
import { DEFAULT_SEND_TIMEOUT_MS } from '../chat';
import { createDestinationSender } from '../chat';
import { isReportHeaderName } from '../config';
import { FileDeadLetterStore } from '../delivery';
import { MemoryDedupStore } from '../delivery';
import { notifyBatch } from '../delivery';
import { buildNotifyDeps } from '../delivery';
import { MemoryPacer } from '../delivery';
import { skippedNote } from '../files';
import { localSettings } from '../local';
import { textLogger } from '../observability';
import { athenaEngine } from '../reports';
import { duckDbEngine } from '../reports/local';
import type { QueryEngine } from '../reports';
import { athenaForm, rangeEndingAt } from '../reports';
import { querySql } from '../reports/local';
import { encodeQueuedReport, reportKey } from '../reports';
import { summarize, type DeliverabilitySummary } from '../reports';
import type { CliIo, Command, OptionValues as Values } from './command';
import { UsageError } from './errors';

const UNIT_MS = { h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;
const MAX_SINCE_MS = 366 * UNIT_MS.d;

/** `7d` → 7 days in ms; `24h`, `2w` too. */
export function parseSince(raw: string): number {
  const match = /^(\d{1,4})([hdw])$/.exec(raw);
  const ms = match ? Number(match[1]) * UNIT_MS[match[2] as keyof typeof UNIT_MS] : 0;
  if (!match || ms <= 0 || ms > MAX_SINCE_MS) {
    throw new UsageError(`--since expects a period such as 24h, 7d or 2w (at most 366 days), got "${raw}"`);
  }
  return ms;
}

/** The summary as lines for a terminal, each figure beside the previous period's. */
export function summaryText(summary: DeliverabilitySummary): string {
  const view = toReportView(summary, { key: 'cli', destination: 'terminal', detail: 'full' });
  const lines = [`${view.title} (previous period in brackets)`];
  for (const fact of reportFacts(view)) lines.push(`  ${fact.label}: ${fact.value}`);
  for (const list of reportLists(view, 10)) lines.push(`  ${list.label}: ${list.items.map(itemLine).join(', ')}`);
  return `${lines.join('\n')}\n`;
}

function localConfig(values: Values, io: CliIo) {
  const env = {
    ...io.env,
    ...(typeof values.config === 'string' ? { RELAY_CONFIG: resolve(io.cwd, values.config) } : {}),
  };
  return localSettings(env, io.cwd);
}

/** Posts a summary to a local destination at once, through the notifier's own report path. */
async function postLocally(
  name: string,
  key: string,
  summary: DeliverabilitySummary,
  values: Values,
  io: CliIo,
): Promise<number> {
  const settings = localConfig(values, io);
  const destination = settings.config.destinations.find((d) => d.name === name);
  if (!destination?.kind) {
    const names = settings.config.destinations.map((d) => d.name).join(', ');
    throw new UsageError(`no destination is named "${name}" in ${settings.configSource} (defined: ${names})`);
  }
  const sender = createDestinationSender(destination.kind, destination.url, {
    timeoutMs: DEFAULT_SEND_TIMEOUT_MS,
    write: io.out,
  });
  const deadline = Date.now() + 60_000;
  const { outcomes } = await notifyBatch(
    [{ id: 'local-report', body: encodeQueuedReport(key, summary), receiveCount: 1 }],
    buildNotifyDeps({
      destination: { name, detail: destination.detail, messagesPerSecond: destination.messagesPerSecond },
      platform: { sender: async () => sender, fingerprintKey: async () => settings.fingerprintKey },
      stores: {
        dedup: new MemoryDedupStore(),
        deadLetters: new FileDeadLetterStore(settings.dataDir),
        pacer: new MemoryPacer(Date.now),
      },
      delivery: {
        remainingMs: () => deadline - Date.now(),
        sendTimeoutMs: DEFAULT_SEND_TIMEOUT_MS,
        // Locally there is no later receive: what cannot be posted now is kept as a dead letter.
        maxReceiveCount: 1,
        leaseMs: 60_000,
      },
      observability: { logger: textLogger(io.err) },
    }),
  );
  const outcome = outcomes[0]!;
  if (outcome.result === 'posted') {
    io.err(`Report posted to "${name}".\n`);
    return 0;
  }
  io.err(
    `The report was not posted to "${name}" (${outcome.reason ?? outcome.result}); see npx paubox-relay dead-letters --local ${name}\n`,
  );
  return 1;
}

async function deployedEngine(stack: string): Promise<{ engine: QueryEngine; outputs: ReadonlyMap<string, string> }> {
  const outputs = await readStackOutputs(new CloudFormationClient({}), stack);
  const { AthenaClient } = require('@aws-sdk/client-athena') as typeof import('@aws-sdk/client-athena');
  const engine = athenaEngine(new AthenaClient({}), {
    workgroup: requireOutput(outputs, 'ArchiveWorkgroupName', stack),
    database: requireOutput(outputs, 'ArchiveDatabaseName', stack),
    query: async (name) => athenaForm(querySql(name)),
  });
  return { engine, outputs };
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'print the deliverability summary of the archive (counts, bounce rates, failing domains)',
  usage: '[--local] [--since <period>] [--json] [--post <name>] [--header <name>] [--config <path>] [--stack <name>]',
  details:
    '  --local    read the local archive ($RELAY_DATA_DIR/archive, default ./.relay-data/archive) with DuckDB;\n' +
    "             without it, the deployed archive with Athena (the stack's workgroup; a few cents per TB scanned)\n" +
    '  --since    the period, ending now, such as 24h, 7d (default) or 2w; compared with the period before it\n' +
    '  --json     print one JSON object (delivered, opened, temporary_failure, permanent_failure, bounceRate,\n' +
    '             topFailingRecipientDomains, ...) instead of text\n' +
    '  --post     also post the summary as a card to this destination (locally at once; deployed, through its queue)\n' +
    '  --header   also count failures by this custom header (its values are archived at detail full only)\n' +
    '  --config   the local relay configuration, for --post with --local (default as for serve)\n' +
    `  --stack    the deployed stack (default ${DEFAULT_STACK_NAME})`,
  options: {
    local: { type: 'boolean' },
    since: { type: 'string' },
    json: { type: 'boolean' },
    post: { type: 'string' },
    header: { type: 'string' },
    config: { type: 'string' },
    stack: { type: 'string' },
  },
  positionals: { min: 0, max: 0 },
  async run(_positionals, values, io) {
    const lengthMs = parseSince(typeof values.since === 'string' ? values.since : '7d');
    const header = typeof values.header === 'string' ? values.header : undefined;
    if (header !== undefined && !isReportHeaderName(header)) {
      throw new UsageError('--header expects a header name of letters, digits and dashes, such as X-Campaign');
    }
    const stack = typeof values.stack === 'string' ? values.stack : DEFAULT_STACK_NAME;
    const local = values.local === true;
    const range = rangeEndingAt(new Date(), lengthMs);
    let engine: QueryEngine;
    let outputs: ReadonlyMap<string, string> | undefined;
    if (local) {
      const archiveDir = archiveDirOf(io.env.RELAY_DATA_DIR || resolve(io.cwd, '.relay-data'));
      const duckDb = await duckDbEngine(archiveDir);
      // Said before the summary, so that nobody reads its counts as the whole archive's.
      if (duckDb.skipped > 0) io.err(`${skippedNote(duckDb.skipped, archiveDir)} (not counted)\n`);
      engine = duckDb;
    } else {
      ({ engine, outputs } = await deployedEngine(stack));
    }
    let summary: DeliverabilitySummary;
    try {
      summary = await summarize(engine, range, header);
    } finally {
      await engine.close?.();
    }
    io.out(values.json === true ? `${JSON.stringify(summary, null, 2)}\n` : summaryText(summary));
    if (typeof values.post !== 'string') return 0;
    const key = reportKey(typeof values.since === 'string' ? values.since : '7d', range.end);
    if (local) return postLocally(values.post, key, summary, values, io);
    const destination = deployedDestination(outputs!, values.post, stack);
    await new SQSClient({}).send(
      new SendMessageCommand({
        QueueUrl: queueUrlOf(destination.queueArn),
        MessageBody: encodeQueuedReport(key, summary),
      }),
    );
    io.err(`Report queued for "${values.post}"; its notifier posts it as it posts alerts.\n`);
    return 0;
  },
};
