import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * The floor of the ingest benchmarks: the least an ingest function could do. It parses the body as JSON and
 * publishes it to the topic; no token, no validation, no fallback, no logs. Bundled with the relay's options.
 */
const sns = new SNSClient({});
const topicArn = process.env.TOPIC_ARN;

export const handler = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
  const body = JSON.parse(event.body ?? '') as { event_name?: string };
  await sns.send(new PublishCommand({ TopicArn: topicArn, Message: JSON.stringify(body) }));
  return { statusCode: 202, body: '{"status":"accepted"}' };
};
