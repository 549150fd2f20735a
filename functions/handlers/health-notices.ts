import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import { Logger as PowertoolsLogger } from '@aws-lambda-powertools/logger';
import type { Context, SNSEvent } from 'aws-lambda';
import { readEnv } from '../aws';
import { HEALTH_ENV } from '../aws';
import { alarmNotice, noticeTargets } from '../health';
import { powertoolsLogger } from '../observability';

/**
 * Subscribed to the relay's health topic, where every alarm acts: each change of state becomes one relay health
 * notice, put on the queue of every destination it goes to, so the notifiers post it with their own pacing,
 * retries and de-duplication. A notice that cannot be queued fails the invocation, and SNS retries it.
 */
const { queues, to } = readEnv(HEALTH_ENV);
const sqs = new SQSClient({});
const powertools = new PowertoolsLogger({ serviceName: 'health' });
const logger = powertoolsLogger(powertools);

export const handler = async (event: SNSEvent, context?: Context): Promise<void> => {
  if (context) powertools.addContext(context);
  for (const record of event.Records) {
    const notice = alarmNotice(record.Sns.Message);
    if (!notice) continue;
    const targets = noticeTargets(notice, Object.keys(queues), to);
    if (targets.length === 0) {
      logger.log('error', 'relay health notice, and no other destination to tell', { reason: notice.reason });
      continue;
    }
    await Promise.all(
      targets.map((name) =>
        sqs.send(new SendMessageCommand({ QueueUrl: queues[name], MessageBody: JSON.stringify(notice) })),
      ),
    );
    logger.log('info', `relay health ${notice.state} queued`, {
      destination: notice.part === 'destination' ? notice.subject : undefined,
      reason: notice.reason,
      count: targets.length,
      eventKey: notice.key,
    });
  }
};
