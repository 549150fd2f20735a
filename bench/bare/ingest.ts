import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';

/**
 * The floor of the ingest benchmarks: the least an ingest consumer could do. It parses each queued body as JSON
 * and publishes it to the topic; no token, no validation, no quarantine, no logs. Bundled with the relay's options.
 */
const sns = new SNSClient({});
const topicArn = process.env.TOPIC_ARN;

export const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
  await Promise.all(
    event.Records.map(async (record) => {
      const body = JSON.parse(record.body) as { event_name?: string };
      await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(body) }));
    }),
  );
  return { batchItemFailures: [] };
};
