import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { request } from 'node:https';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * The floor of the notifier benchmarks: the least a notifier could do. It reads the webhook URL from its secret
 * once, parses each record as JSON and posts one line of text; no de-duplication, retries, rendering or dead
 * letters. Bundled with the relay's options.
 */
const secrets = new SecretsManagerClient({});
let url: Promise<string> | undefined;

function post(target: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(new URL(target), { method: 'POST', headers: { 'content-type': 'application/json' } }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  url ??= secrets
    .send(new GetSecretValueCommand({ SecretId: process.env.DESTINATION_SECRET_ARN }))
    .then((r) => r.SecretString ?? '');
  const target = await url;
  const failures: { itemIdentifier: string }[] = [];
  for (const record of event.Records) {
    const alert = JSON.parse(record.body) as { type?: string };
    const status = await post(target, JSON.stringify({ text: `Paubox: ${String(alert.type)}` }));
    if (status !== 200) failures.push({ itemIdentifier: record.messageId });
  }
  return { batchItemFailures: failures };
};
