import { Match, type Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig, type RelayConfig } from '../../functions/config';
import {
  DESTINATION_BROKEN_METRIC,
  METRIC_NAMESPACE,
  type PauboxAlertRelayStack,
  type RelayDestination,
} from '../../lib';
import { synthesizeRelay } from './synthesize';
import {
  actionsOf,
  arnOf,
  logicalId,
  ref,
  resourcesFor,
  statementsOf,
  type Json,
  type Statement,
} from './template-helpers';

const CONFIG: RelayConfig = parseRelayConfig(
  {
    destinations: [
      { name: 'ops', kind: 'slack' },
      { name: 'care-team', kind: 'teams' },
    ],
    routes: [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops', 'care-team'] }],
  },
  'deploy',
);
// Not the default (5), so the tests can tell the prop reaches the notifier's environment.
const MAX_RECEIVE_COUNT = 7;
const FOURTEEN_DAYS = 14 * 24 * 60 * 60;
// BatchGetItem reads the silences their index item lists.
const DEDUP_ACTIONS = [
  'dynamodb:BatchGetItem',
  'dynamodb:DeleteItem',
  'dynamodb:GetItem',
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
];
/** What the consumer does with the bounce-rate counters: item adds, batch reads, compare-and-set alert states. */
const RATE_ACTIONS = ['dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

const json = (value: unknown) => JSON.stringify(value);
const queueNameOf = (id: string) => ({ 'Fn::GetAtt': [id, 'QueueName'] });

/** An alarm that fires on the first message visible in a queue (a dead-letter queue). */
const firstMessageAlarm = (queueName: Json) => ({
  Namespace: 'AWS/SQS',
  MetricName: 'ApproximateNumberOfMessagesVisible',
  Dimensions: [{ Name: 'QueueName', Value: queueName }],
  Statistic: 'Maximum',
  Period: 60,
  Threshold: 1,
  ComparisonOperator: 'GreaterThanOrEqualToThreshold',
  EvaluationPeriods: 1,
  TreatMissingData: 'notBreaching',
});

/** Every DynamoDB action the statements allow, whatever the resource. */
function dynamodbActionsOf(statements: Statement[]): string[] {
  return [...new Set(statements.flatMap(actionsOf).filter((a) => a.startsWith('dynamodb:')))].sort();
}

describe('PauboxAlertRelay reliable delivery', () => {
  let stack: PauboxAlertRelayStack;
  let template: Template;
  let resources: Record<string, { Type: string; Properties: Json; DeletionPolicy?: string }>;
  let ids: Record<'key' | 'topic' | 'table' | 'ingestQueue' | 'ingestDlq' | 'ingest', string>;

  beforeAll(() => {
    ({ stack, template } = synthesizeRelay('ReliableRelay', CONFIG, { maxReceiveCount: MAX_RECEIVE_COUNT }));
    resources = template.toJSON().Resources as typeof resources;
    const { relay } = stack;
    ids = {
      key: logicalId(stack, relay.key),
      topic: logicalId(stack, relay.topic),
      table: logicalId(stack, relay.dedupTable),
      ingestQueue: logicalId(stack, relay.ingestQueue),
      ingestDlq: logicalId(stack, relay.ingestDeadLetterQueue),
      ingest: logicalId(stack, relay.ingestFunction),
    };
  });

  describe('de-duplication table', () => {
    test('is one on-demand table keyed by pk, with TTL on expiresAt and point-in-time recovery', () => {
      template.resourceCountIs('AWS::DynamoDB::Table', 1);
      template.resourceCountIs('AWS::DynamoDB::GlobalTable', 0);
      const table = resources[ids.table];
      expect(table?.Type).toBe('AWS::DynamoDB::Table');
      expect(table?.Properties).toMatchObject({
        KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
        BillingMode: 'PAY_PER_REQUEST',
        TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    });

    test('is encrypted with the relay key', () => {
      expect(resources[ids.table]?.Properties.SSESpecification).toEqual({
        SSEEnabled: true,
        SSEType: 'KMS',
        KMSMasterKeyId: arnOf(ids.key),
      });
    });

    test('keeps the default removal policy: retained, never deleted with the stack', () => {
      expect(resources[ids.table]?.DeletionPolicy).toBe('Retain');
    });
  });

  describe.each(['ops', 'care-team'])('destination %s', (name) => {
    let destination: RelayDestination;
    let own: { queue: string; dlq: string; fn: string; secret: string };
    let otherDlq: string;
    let statements: Statement[];

    beforeAll(() => {
      const found = stack.relay.destinations[name];
      const other = Object.entries(stack.relay.destinations).find(([n]) => n !== name)?.[1];
      if (!found || !other) throw new Error(`destination ${name} or another one was not deployed`);
      destination = found;
      own = {
        queue: logicalId(stack, found.queue),
        dlq: logicalId(stack, found.deadLetterQueue),
        fn: logicalId(stack, found.function),
        secret: logicalId(stack, found.secret),
      };
      otherDlq = logicalId(stack, other.deadLetterQueue);
      statements = statementsOf(template, own.fn);
    });

    test('notifier has the table, its own DLQ and the receive count in its environment', () => {
      expect(resources[own.fn]?.Properties.Environment).toMatchObject({
        Variables: {
          DEDUP_TABLE_NAME: ref(ids.table),
          DEAD_LETTER_QUEUE_URL: ref(own.dlq),
          MAX_RECEIVE_COUNT: String(MAX_RECEIVE_COUNT),
        },
      });
      expect(resources[own.queue]?.Properties.RedrivePolicy).toEqual({
        deadLetterTargetArn: arnOf(own.dlq),
        maxReceiveCount: MAX_RECEIVE_COUNT,
      });
    });

    test('notifier may get, put, update and delete items of the table, and nothing more', () => {
      expect(dynamodbActionsOf(statements)).toEqual(DEDUP_ACTIONS);
      for (const action of DEDUP_ACTIONS) expect(resourcesFor(statements, action)).toEqual([json(arnOf(ids.table))]);
    });

    test('notifier may use the relay key to read and write the table', () => {
      for (const action of ['kms:Decrypt', 'kms:Encrypt', 'kms:GenerateDataKey']) {
        expect(resourcesFor(statements, action)).toEqual([json(arnOf(ids.key))]);
      }
    });

    test('notifier may send to its own DLQ only', () => {
      expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([json(arnOf(own.dlq))]);
      expect(json(statements)).not.toContain(otherDlq);
      expect(json(statements)).not.toContain(ids.ingestDlq);
    });

    test('dead-letters alarm fires on the first message in the DLQ and says how to redrive', () => {
      const alarm = resources[logicalId(stack, destination.alarms.deadLetters)];
      expect(alarm?.Type).toBe('AWS::CloudWatch::Alarm');
      expect(alarm?.Properties).toMatchObject(firstMessageAlarm(queueNameOf(own.dlq)));
      expect(alarm?.Properties.AlarmDescription).toEqual(
        expect.stringMatching(new RegExp(`"${name}".*dead-letter queue.*\`npx paubox-relay redrive ${name}\``)),
      );
    });

    test('broken alarm watches the DestinationBroken metric of this destination', () => {
      expect(METRIC_NAMESPACE).toBe('PauboxAlertRelay');
      expect(DESTINATION_BROKEN_METRIC).toBe('DestinationBroken');
      const alarm = resources[logicalId(stack, destination.alarms.broken)];
      expect(alarm?.Type).toBe('AWS::CloudWatch::Alarm');
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'PauboxAlertRelay',
        MetricName: 'DestinationBroken',
        // Powertools Metrics adds the service dimension to every metric.
        Dimensions: [
          { Name: 'Destination', Value: name },
          { Name: 'Relay', Value: stack.relay.relayId },
          { Name: 'service', Value: 'notifier' },
        ],
        Statistic: 'Sum',
        Period: 300,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      // The description names the secret to fix (a token, so it is joined in) and the redrive command.
      const description = json(alarm?.Properties.AlarmDescription);
      expect(description).toContain(own.secret);
      expect(description).toContain(`npx paubox-relay set-destination ${name} <url>`);
      expect(description).toContain(`npx paubox-relay redrive ${name}`);
    });

    test('outputs give the DLQ and queue ARNs a redrive needs', () => {
      const pascal = name === 'care-team' ? 'CareTeam' : 'Ops';
      template.hasOutput(`${pascal}DeadLetterQueueArn`, { Value: arnOf(own.dlq) });
      template.hasOutput(`${pascal}QueueArn`, { Value: arnOf(own.queue) });
    });
  });

  describe('ingest queue: the first durable hop', () => {
    test('ingest queue keeps webhooks 14 days, encrypted, with 6x the consumer timeout and its own DLQ', () => {
      expect(resources[ids.ingestQueue]?.Properties).toEqual({
        KmsMasterKeyId: arnOf(ids.key),
        MessageRetentionPeriod: FOURTEEN_DAYS,
        VisibilityTimeout: 181,
        RedrivePolicy: { deadLetterTargetArn: arnOf(ids.ingestDlq), maxReceiveCount: 10 },
      });
      expect(resources[ids.ingestDlq]?.Properties).toEqual({
        KmsMasterKeyId: arnOf(ids.key),
        MessageRetentionPeriod: FOURTEEN_DAYS,
      });
    });

    test('ingest queue and its DLQ refuse non-TLS access', () => {
      for (const queue of [ids.ingestQueue, ids.ingestDlq]) {
        template.hasResourceProperties('AWS::SQS::QueuePolicy', {
          Queues: [ref(queue)],
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    test('the consumer is an arm64 Node.js 22 function with the topic and its quarantine in its environment', () => {
      const consumer = resources[ids.ingest];
      expect(consumer?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 30,
        Handler: 'index.handler',
        Environment: { Variables: { QUARANTINE_QUEUE_URL: ref(ids.ingestDlq), TOPIC_ARN: ref(ids.topic) } },
      });
      const logGroup = (consumer!.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resources[logGroup]?.Properties).toMatchObject({ RetentionInDays: 30, KmsKeyId: arnOf(ids.key) });
    });

    test('the consumer may publish, consume the ingest queue, quarantine to its DLQ, count bounce rates in the table and queue rate notices, and nothing else', () => {
      const statements = statementsOf(template, ids.ingest);
      expect(resourcesFor(statements, 'sns:Publish')).toEqual([json(ref(ids.topic))]);
      expect(resourcesFor(statements, 'sqs:ReceiveMessage')).toEqual([json(arnOf(ids.ingestQueue))]);
      expect(resourcesFor(statements, 'sqs:DeleteMessage')).toEqual([json(arnOf(ids.ingestQueue))]);
      // Its DLQ, and the queues of the destinations that receive permanent failures (bounce-rate notices).
      const rateQueues = Object.values(stack.relay.destinations).map((d) => json(arnOf(logicalId(stack, d.queue))));
      expect(resourcesFor(statements, 'sqs:SendMessage').sort()).toEqual(
        [json(arnOf(ids.ingestDlq)), ...rateQueues].sort(),
      );
      expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual([json(arnOf(ids.key))]);
      // Bounce-rate counters (and PutItem also records a self-test as read, docs/operations.md).
      expect(dynamodbActionsOf(statements)).toEqual(RATE_ACTIONS);
      for (const action of RATE_ACTIONS) {
        expect([...new Set(resourcesFor(statements, action))]).toEqual([json(arnOf(ids.table))]);
      }
    });

    test('the consumer reads the ingest queue in batches of up to 100 within a second, reporting item failures', () => {
      const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: ref(ids.ingest) },
      });
      expect(Object.values(mappings).map((m) => (m as { Properties: Json }).Properties)).toEqual([
        {
          EventSourceArn: arnOf(ids.ingestQueue),
          FunctionName: ref(ids.ingest),
          BatchSize: 100,
          MaximumBatchingWindowInSeconds: 1,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          // Bounded without reserving any of the account's concurrency.
          ScalingConfig: { MaximumConcurrency: 2 },
        },
      ]);
    });

    test('stuck alarm fires when a webhook has waited 5 minutes in the ingest queue', () => {
      const alarm = resources[logicalId(stack, stack.relay.ingestAlarms.stuck)];
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: queueNameOf(ids.ingestQueue) }],
        Statistic: 'Maximum',
        Threshold: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm?.Properties.AlarmDescription).toEqual(expect.stringMatching(/ingest queue.*consumer/));
    });

    test('dead-letters alarm fires on the first webhook in the ingest DLQ, naming the quarantine reasons', () => {
      const alarm = resources[logicalId(stack, stack.relay.ingestAlarms.deadLetters)];
      expect(alarm?.Properties).toMatchObject(firstMessageAlarm(queueNameOf(ids.ingestDlq)));
      expect(json(alarm?.Properties.AlarmDescription)).toContain('start-message-move-task');
      expect(json(alarm?.Properties.AlarmDescription)).toContain('reason');
    });
  });

  test('alarms lists every alarm of the template, each acting on the health topic alone without an alarms block', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(stack.relay.alarms.map((a) => logicalId(stack, a)).sort()).toEqual(Object.keys(alarms).sort());
    // Ingest (6: errors, 5xx, throttled, stuck, dead letters, requests without the token), each destination (4, and
    // its probe alarm), the probe.
    expect(stack.relay.alarms).toHaveLength(6 + 2 * 5 + 1);
    const health = { Ref: logicalId(stack, stack.relay.healthTopic) };
    for (const alarm of Object.values(alarms) as { Properties: Json }[]) {
      expect(alarm.Properties.AlarmActions).toEqual([health]);
    }
  });

  test('outputs are the operator ones and the ones the CLI reads per destination, nothing else', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      [
        'WebhookBaseUrl',
        'QuarantineQueueUrl',
        'TokenSecretName',
        'WebhookUrlCommand',
        'DedupTableName',
        'FingerprintSecretName',
        'DashboardUrl',
        ...['Ops', 'CareTeam'].flatMap((p) => [
          `${p}DestinationName`,
          `${p}DestinationSecretName`,
          `${p}DestinationKind`,
          `${p}DeadLetterQueueArn`,
          `${p}QueueArn`,
        ]),
      ].sort(),
    );
  });
});
