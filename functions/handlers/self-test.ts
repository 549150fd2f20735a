import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { type CustomResourceEvent, respondToCloudFormation } from '../aws';
import { readEnv } from '../aws';
import { SELF_TEST_ENV } from '../aws';
import { dynamodbClientOnFirstUse } from '../aws';
import { readSecretString } from '../aws';
import { deploySelfTest } from '../ingest';
import { dynamoSelfTestRecords } from '../ingest';
import { parseTokenSecret } from '../ingest';
import { jsonLogger } from '../observability';

/**
 * The deploy's self-test, a custom resource ordered after the accept path: posts a self-test webhook to the real
 * URL and waits for the consumer to read it; a broken hop fails the deploy, and CloudFormation rolls back.
 */
const { webhookBaseUrl, tokenSecretArn, table } = readEnv(SELF_TEST_ENV);
const logger = jsonLogger('self-test');
const secrets = new SecretsManagerClient({});
const records = dynamoSelfTestRecords(dynamodbClientOnFirstUse(), table);

export const handler = async (event: CustomResourceEvent & { ResourceProperties?: Record<string, unknown> }) => {
  const result = await deploySelfTest(event, {
    webhookUrl: async () => {
      const { token } = parseTokenSecret(await readSecretString(secrets, tokenSecretArn));
      return `${webhookBaseUrl}${encodeURIComponent(token)}`;
    },
    records,
    logger,
  });
  await respondToCloudFormation(event, result);
};
