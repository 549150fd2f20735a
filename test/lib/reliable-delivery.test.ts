import { Match, type Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig, type RelayConfig } from '../../functions/config/relay-config';
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
const DEDUP_ACTIONS = ['dynamodb:DeleteItem', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'];

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
  let ids: Record<'key' | 'topic' | 'table' | 'fallback' | 'fallbackDlq' | 'ingest' | 'drain', string>;

  beforeAll(() => {
    ({ stack, template } = synthesizeRelay('ReliableRelay', CONFIG, { maxReceiveCount: MAX_RECEIVE_COUNT }));
    resources = template.toJSON().Resources as typeof resources;
    const { relay } = stack;
    ids = {
      key: logicalId(stack, relay.key),
      topic: logicalId(stack, relay.topic),
      table: logicalId(stack, relay.dedupTable),
      fallback: logicalId(stack, relay.fallbackQueue),
      fallbackDlq: logicalId(stack, relay.fallbackDeadLetterQueue),
      ingest: logicalId(stack, relay.ingestFunction),
      drain: logicalId(stack, relay.drainFunction),
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
      expect(json(statements)).not.toContain(ids.fallback);
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

  describe('ingest fallback path', () => {
    test('fallback queue keeps events 14 days, encrypted, with 6x the drainer timeout and its own DLQ', () => {
      expect(resources[ids.fallback]?.Properties).toEqual({
        KmsMasterKeyId: arnOf(ids.key),
        MessageRetentionPeriod: FOURTEEN_DAYS,
        VisibilityTimeout: 180,
        RedrivePolicy: { deadLetterTargetArn: arnOf(ids.fallbackDlq), maxReceiveCount: 10 },
      });
      expect(resources[ids.fallbackDlq]?.Properties).toEqual({
        KmsMasterKeyId: arnOf(ids.key),
        MessageRetentionPeriod: FOURTEEN_DAYS,
      });
    });

    test('fallback queue and its DLQ refuse non-TLS access', () => {
      for (const queue of [ids.fallback, ids.fallbackDlq]) {
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

    test('ingest has the fallback queue in its environment and may send to it only', () => {
      expect(resources[ids.ingest]?.Properties.Environment).toMatchObject({
        Variables: { FALLBACK_QUEUE_URL: ref(ids.fallback), TOPIC_ARN: ref(ids.topic) },
      });
      const statements = statementsOf(template, ids.ingest);
      expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([json(arnOf(ids.fallback))]);
      expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual([json(arnOf(ids.key))]);
    });

    test('drainer is an arm64 Node.js 22 function like the notifiers, with a limited log group', () => {
      const drain = resources[ids.drain];
      expect(drain?.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 30,
        MemorySize: 256,
        Handler: 'index.handler',
        Environment: { Variables: { TOPIC_ARN: ref(ids.topic) } },
      });
      const logGroup = (drain!.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resources[logGroup]?.Properties).toMatchObject({ RetentionInDays: 30, KmsKeyId: arnOf(ids.key) });
    });

    test('drainer may publish to the topic and consume the fallback queue, and nothing else', () => {
      const statements = statementsOf(template, ids.drain);
      expect(resourcesFor(statements, 'sns:Publish')).toEqual([json(ref(ids.topic))]);
      expect(resourcesFor(statements, 'sqs:ReceiveMessage')).toEqual([json(arnOf(ids.fallback))]);
      expect(resourcesFor(statements, 'sqs:DeleteMessage')).toEqual([json(arnOf(ids.fallback))]);
      expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual([json(arnOf(ids.key))]);
      expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([]);
      expect(dynamodbActionsOf(statements)).toEqual([]);
      expect(json(statements)).not.toContain('secretsmanager:');
    });

    test('drainer consumes the fallback queue in batches of 10, reporting item failures', () => {
      const mappings = template.findResources('AWS::Lambda::EventSourceMapping', {
        Properties: { FunctionName: ref(ids.drain) },
      });
      expect(Object.values(mappings).map((m) => (m as { Properties: Json }).Properties)).toEqual([
        {
          EventSourceArn: arnOf(ids.fallback),
          FunctionName: ref(ids.drain),
          BatchSize: 10,
          FunctionResponseTypes: ['ReportBatchItemFailures'],
          // Bounded without reserving any of the account's concurrency.
          ScalingConfig: { MaximumConcurrency: 2 },
        },
      ]);
    });

    test('stuck alarm fires when an event has waited 5 minutes in the fallback queue', () => {
      const alarm = resources[logicalId(stack, stack.relay.fallbackAlarms.stuck)];
      expect(alarm?.Properties).toMatchObject({
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateAgeOfOldestMessage',
        Dimensions: [{ Name: 'QueueName', Value: queueNameOf(ids.fallback) }],
        Statistic: 'Maximum',
        Threshold: 300,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        EvaluationPeriods: 1,
        TreatMissingData: 'notBreaching',
      });
      expect(alarm?.Properties.AlarmDescription).toEqual(expect.stringMatching(/fallback queue.*publish/));
    });

    test('dead-letters alarm fires on the first event in the fallback DLQ', () => {
      const alarm = resources[logicalId(stack, stack.relay.fallbackAlarms.deadLetters)];
      expect(alarm?.Properties).toMatchObject(firstMessageAlarm(queueNameOf(ids.fallbackDlq)));
      expect(json(alarm?.Properties.AlarmDescription)).toContain('start-message-move-task');
    });
  });

  test('alarms lists every alarm of the template, none with an action without an alarms block', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm');
    expect(stack.relay.alarms.map((a) => logicalId(stack, a)).sort()).toEqual(Object.keys(alarms).sort());
    // Ingest (3: errors, 5xx, throttled), each destination (4), the fallback path (2).
    expect(stack.relay.alarms).toHaveLength(3 + 2 * 4 + 2);
    for (const alarm of Object.values(alarms) as { Properties: Json }[]) {
      expect(alarm.Properties.AlarmActions).toBeUndefined();
    }
  });

  test('outputs are the operator ones and the ones the CLI reads per destination, nothing else', () => {
    expect(Object.keys(template.findOutputs('*')).sort()).toEqual(
      [
        'WebhookBaseUrl',
        'TokenSecretName',
        'WebhookUrlCommand',
        'DedupTableName',
        'DashboardUrl',
        ...['Ops', 'CareTeam'].flatMap((p) => [
          `${p}DestinationSecretName`,
          `${p}DestinationKind`,
          `${p}DeadLetterQueueArn`,
          `${p}QueueArn`,
        ]),
      ].sort(),
    );
  });
});
