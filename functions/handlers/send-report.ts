import { AthenaClient, GetNamedQueryCommand } from '@aws-sdk/client-athena';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { Context } from 'aws-lambda';
import { readEnv } from '../aws';
import { SEND_REPORT_ENV } from '../aws';
import { jsonLogger } from '../observability';
import { REPORT_SERVICE } from '../observability';
import { athenaEngine } from '../reports';
import { runScheduledReport, type ReportInput } from '../reports';

/**
 * Report function: run by each report schedule. Reads the saved named queries (the SQL of `functions/reports/queries`,
 * saved by the stack), runs them on Athena, and queues the summary to each destination's queue.
 */
const { workgroup, database, namedQueries, queues } = readEnv(SEND_REPORT_ENV);
const logger = jsonLogger(REPORT_SERVICE);
const athena = new AthenaClient({});
const sqs = new SQSClient({});

const engine = athenaEngine(athena, {
  workgroup,
  database,
  query: async (name) => {
    const saved = namedQueries[name];
    if (!saved) throw new Error(`no named query ${name}; redeploy the stack`);
    const { NamedQuery } = await athena.send(new GetNamedQueryCommand({ NamedQueryId: saved.id }));
    if (!NamedQuery?.QueryString) throw new Error(`named query ${name} has no text`);
    return { sql: NamedQuery.QueryString, parameters: saved.parameters };
  },
  // Stay within the function's timeout; the schedule retries a failed run.
  timeoutMs: 600_000,
});

export const handler = async (input: ReportInput, context?: Context): Promise<{ key: string }> => {
  logger.addContext(context);
  const key = await runScheduledReport(input, engine, async (destination, body) => {
    const url = queues[destination];
    if (!url) throw new Error(`destination ${destination} is not deployed; check the configuration's reports`);
    await sqs.send(new SendMessageCommand({ QueueUrl: url, MessageBody: body }));
  });
  logger.log('info', 'report queued', { eventKey: key, count: input.to.length });
  return { key };
};
