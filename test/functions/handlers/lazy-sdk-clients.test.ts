/**
 * Each SDK client package a handler loads adds to its cold start (`npm run bench` measures it): a handler loads
 * those its usual path calls, and the ones of its failure paths only when it takes them.
 */
const mockLoaded = new Set<string>();
jest.mock('@aws-sdk/client-apigatewayv2', () => {
  mockLoaded.add('apigatewayv2');
  return jest.requireActual('@aws-sdk/client-apigatewayv2');
});
jest.mock('@aws-sdk/client-dynamodb', () => {
  mockLoaded.add('dynamodb');
  return jest.requireActual('@aws-sdk/client-dynamodb');
});
jest.mock('@aws-sdk/client-firehose', () => {
  mockLoaded.add('firehose');
  return jest.requireActual('@aws-sdk/client-firehose');
});
jest.mock('@aws-sdk/client-secrets-manager', () => {
  mockLoaded.add('secrets-manager');
  return jest.requireActual('@aws-sdk/client-secrets-manager');
});
jest.mock('@aws-sdk/client-sns', () => {
  mockLoaded.add('sns');
  return jest.requireActual('@aws-sdk/client-sns');
});
jest.mock('@aws-sdk/client-sqs', () => {
  mockLoaded.add('sqs');
  return jest.requireActual('@aws-sdk/client-sqs');
});

const ENVIRONMENT = {
  TOPIC_ARN: 'arn:aws:sns:eu-west-1:111122223333:relay-topic',
  TOKEN_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:token',
  QUARANTINE_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/relay-ingest-dlq',
  DESTINATION_NAME: 'ops',
  DESTINATION_KIND: 'slack',
  DESTINATION_DETAIL: 'minimal',
  DESTINATION_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:ops-url',
  FINGERPRINT_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:fingerprint',
  DEDUP_TABLE_NAME: 'dedup',
  DEAD_LETTER_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/ops-dlq',
  QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/111122223333/ops',
  MAX_RECEIVE_COUNT: '5',
  DIGEST_MIN_GROUP_SIZE: '2',
  RELAY_ID: 'TestStack/Relay',
  TOKEN_OVERLAP_HOURS: '72',
  API_ID: 'a1b2c3d4e5',
  WEBHOOK_INTEGRATION_ID: 'int0001',
  API_STAGE_NAME: '$default',
  WEBHOOK_RATE_LIMIT: '2500',
  WEBHOOK_BURST_LIMIT: '5000',
  APP_DESTINATIONS: JSON.stringify({
    app: { secretArn: 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:app', channel: 'C0FAKECHAN1' },
  }),
  RELAY_TABLE_NAME: 'relay',
  AUDIT_STREAM_NAME: 'relay-audit',
};

function packagesLoadedBy(handlerModule: string): string[] {
  mockLoaded.clear();
  jest.isolateModules(() => {
    require(handlerModule);
  });
  return [...mockLoaded].sort();
}

beforeAll(() => {
  Object.assign(process.env, ENVIRONMENT);
});

describe('SDK packages loaded at cold start', () => {
  it('the ingest consumer loads SNS and Secrets Manager; SQS only to quarantine a webhook', () => {
    expect(packagesLoadedBy('../../../functions/handlers/consume-webhooks')).toEqual(['secrets-manager', 'sns']);
  });

  it('the token function loads Secrets Manager and API Gateway, both on its usual path (a rotation changes routes)', () => {
    expect(packagesLoadedBy('../../../functions/handlers/rotate-token')).toEqual(['apigatewayv2', 'secrets-manager']);
  });

  it('a notifier loads DynamoDB and Secrets Manager; SQS only to dead-letter an alert or delay its retry', () => {
    expect(packagesLoadedBy('../../../functions/handlers/notify-destination')).toEqual(['dynamodb', 'secrets-manager']);
  });

  it('the interactivity function loads DynamoDB and Secrets Manager; Firehose only when a click is to be recorded', () => {
    expect(packagesLoadedBy('../../../functions/handlers/slack-interactivity')).toEqual([
      'dynamodb',
      'secrets-manager',
    ]);
  });
});
