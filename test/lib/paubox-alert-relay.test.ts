import { Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { DEFAULT_DEPLOY_CONFIG, parseRelayConfig, type RelayConfig } from '../../functions/config';
import { PauboxAlertRelay, type PauboxAlertRelayStack } from '../../lib';
import { synthesizeRelay } from './synthesize';
import {
  actionsOf,
  arnOf,
  logicalId,
  projectApp,
  ref,
  resourcesFor,
  statementsOf,
  statementsOfRole,
  type Json,
} from './template-helpers';

const CONFIG: RelayConfig = parseRelayConfig(
  {
    destinations: [
      { name: 'ops', kind: 'slack', detail: 'minimal' },
      {
        name: 'care-team',
        kind: 'teams',
        detail: 'recipient',
        digest: { windowSeconds: 0, minGroupSize: 5 },
        rateLimit: { messagesPerSecond: 2 },
      },
      { name: 'billing', detail: 'full', digest: { windowSeconds: 20, batchSize: 500 } },
      { name: 'terminal', kind: 'console' },
      { name: 'spare', kind: 'slack' },
    ],
    routes: [
      { events: ['permanent_failure', 'temporary_failure'], to: ['ops', 'care-team', 'terminal'] },
      { events: ['delivered', 'permanent_failure'], senderDomains: ['clinic.example.com'], to: ['care-team'] },
      { events: ['permanent_failure'], senderDomains: ['b.example.org', 'a.example.org'], to: ['billing'] },
    ],
  },
  'deploy',
);

// Written out by hand rather than computed with filterPolicyFor, so the test checks the routing too.
const EXPECTED_POLICIES: Record<string, Json> = {
  ops: { event_type: ['permanent_failure', 'temporary_failure'] },
  'care-team': {
    $or: [
      { event_type: ['permanent_failure', 'temporary_failure'] },
      { event_type: ['delivered'], sender_domain: ['clinic.example.com', { suffix: '.clinic.example.com' }] },
    ],
  },
  billing: {
    event_type: ['permanent_failure'],
    sender_domain: ['a.example.org', { suffix: '.a.example.org' }, 'b.example.org', { suffix: '.b.example.org' }],
  },
};

const EXPECTED_ENV: Record<string, { kind: string; detail: string; minGroupSize: string; rate?: string }> = {
  ops: { kind: 'slack', detail: 'minimal', minGroupSize: '2' },
  'care-team': { kind: 'teams', detail: 'recipient', minGroupSize: '5', rate: '2' },
  billing: { kind: 'auto', detail: 'full', minGroupSize: '2' },
};

/** Batching of each destination's event source: the deploy default window is 10 s, with batches of up to 10,000. */
const EXPECTED_BATCHING: Record<string, { window?: number; batchSize: number; visibility: number }> = {
  ops: { window: 10, batchSize: 10_000, visibility: 190 },
  'care-team': { batchSize: 10, visibility: 180 },
  billing: { window: 20, batchSize: 500, visibility: 200 },
};

describe('PauboxAlertRelayStack with several routes', () => {
  let stack: PauboxAlertRelayStack;
  let template: Template;
  let keyId: string;

  beforeAll(() => {
    ({ stack, template } = synthesizeRelay('TestRelay', CONFIG));
    keyId = logicalId(stack, stack.relay.key);
  });

  test('deploys only the routed chat destinations', () => {
    expect(Object.keys(stack.relay.destinations).sort()).toEqual(['billing', 'care-team', 'ops']);
    // Three destinations with a queue and a DLQ each, the ingest queue and its DLQ; their notifiers, the ingest
    // consumer, the token rotation function, the deploy self-test, the health function (subscribed to the health topic)
    // and the probe.
    template.resourceCountIs('AWS::SQS::Queue', 8);
    template.resourceCountIs('AWS::Lambda::Function', 8);
    template.resourceCountIs('AWS::SNS::Subscription', 4);
  });

  test('warns about the unrouted destination, and not about the console one (its kind says it is local)', () => {
    const annotations = Annotations.fromStack(stack);
    annotations.hasNoWarning('/TestRelay/Relay', Match.stringLikeRegexp('console destination'));
    annotations.hasWarning('/TestRelay/Relay', Match.stringLikeRegexp('No route sends events to destination "spare"'));
  });

  test('HTTP API writes webhooks to the ingest queue itself, through routes made per token: no function per webhook, no CORS', () => {
    const queueId = logicalId(stack, stack.relay.ingestQueue);
    template.hasResourceProperties('AWS::ApiGatewayV2::Api', {
      ProtocolType: 'HTTP',
      CorsConfiguration: Match.absent(),
    });
    // No route in the template: one literal route per valid token is made by the token function (and the custom
    // resource at deploy), so that the template holds no token and a wrong token matches no route.
    template.resourceCountIs('AWS::ApiGatewayV2::Route', 0);
    template.resourceCountIs('AWS::ApiGatewayV2::Integration', 1);
    const [integrationId, integration] = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration'))[0]!;
    template.hasResourceProperties('Custom::PauboxWebhookRoutes', {
      ApiId: Match.anyValue(),
      IntegrationId: ref(integrationId),
    });
    const properties = (integration as { Properties: Json }).Properties;
    expect(properties).toMatchObject({
      IntegrationType: 'AWS_PROXY',
      IntegrationSubtype: 'SQS-SendMessage',
      PayloadFormatVersion: '1.0',
      RequestParameters: { QueueUrl: ref(queueId), MessageBody: '$request.body' },
      ResponseParameters: { '200': { ResponseParameters: [{ Destination: 'overwrite:statuscode', Source: '202' }] } },
    });
    expect(properties.IntegrationUri).toBeUndefined();
    // What the consumer needs to check the webhook later travels as message attributes, never empty.
    const attributes = JSON.parse((properties.RequestParameters as Json).MessageAttributes as string);
    expect(attributes).toMatchObject({
      token: { DataType: 'String', StringValue: 'v=${context.path}' },
      receivedAt: { DataType: 'String', StringValue: 'v=${context.requestTimeEpoch}' },
      requestId: { DataType: 'String', StringValue: 'v=${context.requestId}' },
    });
    // No function is invoked by API Gateway.
    expect(
      template.findResources('AWS::Lambda::Permission', { Properties: { Principal: 'apigateway.amazonaws.com' } }),
    ).toEqual({});
    template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 2500, ThrottlingBurstLimit: 5000 },
    });
  });

  test("the API's role may only send to the ingest queue, with the relay key to encrypt", () => {
    const [, integration] = Object.entries(template.findResources('AWS::ApiGatewayV2::Integration'))[0]!;
    const roleId = ((integration as { Properties: Json }).Properties.CredentialsArn as { 'Fn::GetAtt': string[] })[
      'Fn::GetAtt'
    ][0]!;
    const role = template.toJSON().Resources[roleId] as { Properties: Json };
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain('apigateway.amazonaws.com');
    const statements = statementsOfRole(template, roleId);
    expect(statements.flatMap(actionsOf).sort()).toEqual(['kms:Decrypt', 'kms:GenerateDataKey', 'sqs:SendMessage']);
    expect(resourcesFor(statements, 'sqs:SendMessage')).toEqual([
      JSON.stringify(arnOf(logicalId(stack, stack.relay.ingestQueue))),
    ]);
    expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual([JSON.stringify(arnOf(keyId))]);
  });

  test('the ingest queue is encrypted with the relay key and dead-letters after 10 receives', () => {
    const queue = template.toJSON().Resources[logicalId(stack, stack.relay.ingestQueue)] as { Properties: Json };
    expect(queue.Properties).toMatchObject({
      KmsMasterKeyId: arnOf(keyId),
      MessageRetentionPeriod: 14 * 24 * 3600,
      RedrivePolicy: { deadLetterTargetArn: arnOf(logicalId(stack, stack.relay.ingestDeadLetterQueue)) },
    });
  });

  test('one rotating customer-managed key encrypts the topic, every queue and every DLQ', () => {
    template.resourceCountIs('AWS::KMS::Key', 1);
    template.hasResourceProperties('AWS::KMS::Key', { EnableKeyRotation: true });
    template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arnOf(keyId) });
    const queues = Object.values(template.findResources('AWS::SQS::Queue')) as { Properties: Json }[];
    expect(queues).toHaveLength(8);
    for (const queue of queues) expect(queue.Properties.KmsMasterKeyId).toEqual(arnOf(keyId));
  });

  test('topic and queues refuse non-TLS access', () => {
    const denyInsecure = Match.objectLike({
      Effect: 'Deny',
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    });
    template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) },
    });
    template.resourcePropertiesCountIs(
      'AWS::SQS::QueuePolicy',
      { PolicyDocument: { Statement: Match.arrayWith([denyInsecure]) } },
      8,
    );
  });

  test('token and fingerprint secrets are generated, URL-safe and long', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: { PasswordLength: 48, ExcludePunctuation: true, IncludeSpace: false },
    });
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });

  describe.each(Object.keys(EXPECTED_POLICIES))('destination %s', (name) => {
    let ids: { queue: string; dlq: string; fn: string; secret: string };

    beforeAll(() => {
      const d = stack.relay.destinations[name];
      if (!d) throw new Error(`destination ${name} was not deployed`);
      ids = {
        queue: logicalId(stack, d.queue),
        dlq: logicalId(stack, d.deadLetterQueue),
        fn: logicalId(stack, d.function),
        secret: logicalId(stack, d.secret),
      };
    });

    test('construct ids derive from the destination name', () => {
      const pascal = name === 'care-team' ? 'CareTeam' : name.charAt(0).toUpperCase() + name.slice(1);
      expect(ids.queue.startsWith(`Relay${pascal}DestinationQueue`)).toBe(true);
      expect(ids.fn.startsWith(`Relay${pascal}DestinationNotifierFunction`)).toBe(true);
      template.hasOutput(`${pascal}DestinationSecretName`, {
        Description: Match.stringLikeRegexp('Slack or Teams webhook URL'),
      });
    });

    test('queue has a 14-day DLQ, the redrive count and 6x the notifier timeout plus the batching window', () => {
      const queue = template.toJSON().Resources[ids.queue] as { Properties: Json };
      expect(queue.Properties).toMatchObject({
        MessageRetentionPeriod: 345600,
        VisibilityTimeout: EXPECTED_BATCHING[name]!.visibility,
        RedrivePolicy: { deadLetterTargetArn: arnOf(ids.dlq), maxReceiveCount: 25 },
      });
      const dlq = template.toJSON().Resources[ids.dlq] as { Properties: Json };
      expect(dlq.Properties.MessageRetentionPeriod).toBe(1209600);
    });

    test('subscription delivers raw messages with exactly the routing filter policy', () => {
      const subscriptions = template.findResources('AWS::SNS::Subscription', {
        Properties: { Endpoint: arnOf(ids.queue) },
      });
      const all = Object.values(subscriptions) as { Properties: Json }[];
      expect(all).toHaveLength(1);
      expect(all[0]?.Properties).toMatchObject({
        Protocol: 'sqs',
        RawMessageDelivery: true,
        FilterPolicyScope: 'MessageAttributes',
      });
      expect(all[0]?.Properties.FilterPolicy).toStrictEqual(EXPECTED_POLICIES[name]);
    });

    test('notifier is an arm64 Node.js 22 function with its environment', () => {
      const expected = EXPECTED_ENV[name];
      const fn = template.toJSON().Resources[ids.fn] as { Properties: Json };
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        Timeout: 30,
        MemorySize: 256,
        Environment: {
          Variables: {
            DESTINATION_NAME: name,
            DESTINATION_KIND: expected?.kind,
            DESTINATION_DETAIL: expected?.detail,
            DIGEST_MIN_GROUP_SIZE: expected?.minGroupSize,
            ...(expected?.rate !== undefined ? { RATE_LIMIT_PER_SECOND: expected.rate } : {}),
            DESTINATION_SECRET_ARN: ref(ids.secret),
            FINGERPRINT_SECRET_ARN: ref(logicalId(stack, stack.relay.fingerprintSecret)),
          },
        },
      });
      // Without a configured rate, the notifier applies its platform's default.
      const variables = (fn.Properties.Environment as { Variables: Json }).Variables;
      expect('RATE_LIMIT_PER_SECOND' in variables).toBe(expected?.rate !== undefined);
    });

    test('notifier reads only its own secret and the fingerprint secret', () => {
      const statements = statementsOf(template, ids.fn);
      expect(resourcesFor(statements, 'secretsmanager:GetSecretValue').sort()).toEqual(
        [ref(ids.secret), ref(logicalId(stack, stack.relay.fingerprintSecret))].map((r) => JSON.stringify(r)).sort(),
      );
      expect(resourcesFor(statements, 'sqs:ReceiveMessage')).toEqual([JSON.stringify(arnOf(ids.queue))]);
      expect(resourcesFor(statements, 'kms:Decrypt')).toEqual([JSON.stringify(arnOf(keyId))]);
      expect(resourcesFor(statements, 'sns:Publish')).toEqual([]);
    });

    test('event source batches with the configured window, reports batch item failures, bounded concurrency', () => {
      const batching = EXPECTED_BATCHING[name]!;
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        EventSourceArn: arnOf(ids.queue),
        FunctionName: ref(ids.fn),
        BatchSize: batching.batchSize,
        MaximumBatchingWindowInSeconds: batching.window ?? Match.absent(),
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 2 },
      });
    });
  });

  test('every function runs Node.js 22 on arm64 with a log group of limited retention', () => {
    const functions = Object.values(template.findResources('AWS::Lambda::Function')) as { Properties: Json }[];
    expect(functions).toHaveLength(8);
    for (const fn of functions) {
      expect(fn.Properties).toMatchObject({ Runtime: 'nodejs22.x', Architectures: ['arm64'] });
      expect(fn.Properties.LoggingConfig).toEqual({ LogGroup: { Ref: expect.any(String) } });
    }
    // The functions' eight and the API's access log.
    template.resourcePropertiesCountIs('AWS::Logs::LogGroup', { RetentionInDays: 30 }, 9);
  });

  test('the ingest consumer has the topic and token secret in its environment', () => {
    template.hasResourceProperties('AWS::Lambda::Function', {
      Timeout: 30,
      MemorySize: 512,
      Environment: {
        Variables: {
          TOPIC_ARN: ref(logicalId(stack, stack.relay.topic)),
          TOKEN_SECRET_ARN: ref(logicalId(stack, stack.relay.tokenSecret)),
        },
      },
    });
  });

  test('the ingest consumer can publish to the topic (with the key) and read the token secret only', () => {
    const statements = statementsOf(template, logicalId(stack, stack.relay.ingestFunction));
    expect(resourcesFor(statements, 'sns:Publish')).toEqual([JSON.stringify(ref(logicalId(stack, stack.relay.topic)))]);
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toEqual([
      JSON.stringify(ref(logicalId(stack, stack.relay.tokenSecret))),
    ]);
    expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual([JSON.stringify(arnOf(keyId))]);
    expect(resourcesFor(statements, 'kms:Decrypt')).toEqual([JSON.stringify(arnOf(keyId))]);
    expect(resourcesFor(statements, 'sqs:ReceiveMessage')).toEqual([
      JSON.stringify(arnOf(logicalId(stack, stack.relay.ingestQueue))),
    ]);
  });

  test('SNS may use the key for the queues, only for this topic, without a key → topic → key cycle', () => {
    const topicId = logicalId(stack, stack.relay.topic);
    const topic = template.toJSON().Resources[topicId] as { Properties: { TopicName: string } };
    const topicArn = {
      'Fn::Join': [
        '',
        [
          'arn:',
          ref('AWS::Partition'),
          ':sns:',
          ref('AWS::Region'),
          ':',
          ref('AWS::AccountId'),
          `:${topic.Properties.TopicName}`,
        ],
      ],
    };
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          {
            Action: ['kms:Decrypt', 'kms:GenerateDataKey'],
            Condition: { ArnEquals: { 'aws:SourceArn': topicArn } },
            Effect: 'Allow',
            Principal: { Service: 'sns.amazonaws.com' },
            Resource: '*',
          },
        ]),
      },
    });
    expect(JSON.stringify(template.toJSON().Resources[keyId])).not.toContain(topicId);
    // The destination queues' subscriptions; the health function's is to the health topic.
    const subscriptions = Object.values(
      template.findResources('AWS::SNS::Subscription', { Properties: { Protocol: 'sqs' } }),
    ) as {
      Properties: Json;
      DependsOn: string[];
    }[];
    expect(subscriptions).toHaveLength(3);
    for (const subscription of subscriptions) {
      expect(subscription.Properties.TopicArn).toEqual(topicArn);
      expect(subscription.DependsOn).toContain(topicId);
    }
  });

  test('outputs tell the operator where the webhook URL and the secrets are', () => {
    template.hasOutput('WebhookBaseUrl', { Description: Match.stringLikeRegexp('append the token') });
    template.hasOutput('TokenSecretName', {});
    template.hasOutput('WebhookUrlCommand', {
      Value: { 'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('aws secretsmanager get-secret-value')])] },
    });
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs.filter((o) => o.endsWith('DestinationSecretName')).sort()).toEqual([
      'BillingDestinationSecretName',
      'CareTeamDestinationSecretName',
      'OpsDestinationSecretName',
    ]);
  });
});

describe('PauboxAlertRelayStack with the default configuration', () => {
  let stack: PauboxAlertRelayStack;
  let template: Template;

  beforeAll(() => {
    ({ stack, template } = synthesizeRelay('DefaultRelay', DEFAULT_DEPLOY_CONFIG));
  });

  test('deploys one auto-detecting destination "alerts" carrying both failure types', () => {
    expect(Object.keys(stack.relay.destinations)).toEqual(['alerts']);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ DESTINATION_NAME: 'alerts', DESTINATION_KIND: 'auto' }) },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      FilterPolicy: { event_type: ['permanent_failure', 'temporary_failure'] },
      FilterPolicyScope: 'MessageAttributes',
    });
    template.hasOutput('AlertsDestinationSecretName', {});
    Annotations.fromStack(stack).hasNoWarning('*', Match.anyValue());
  });
});

describe('PauboxAlertRelay with only a console destination', () => {
  test('creates no destination queue, and warns once: that nothing is deployed, not about the console itself', () => {
    const stack = new Stack(projectApp(), 'ConsoleOnly');
    const config = parseRelayConfig(
      {
        destinations: [{ name: 'terminal', kind: 'console' }],
        routes: [{ events: ['delivered'], to: ['terminal'] }],
      },
      'deploy',
    );
    const relay = new PauboxAlertRelay(stack, 'Relay', { config });
    const template = Template.fromStack(stack);
    expect(relay.destinations).toEqual({});
    // Only the ingest fallback queue and its DLQ.
    template.resourceCountIs('AWS::SQS::Queue', 2);
    // The ingest alarms only: errors, 5xx, throttled, stuck, dead letters, requests without the token.
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
    template.resourceCountIs('AWS::SNS::Subscription', 0);
    const annotations = Annotations.fromStack(stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([
      expect.objectContaining({
        entry: expect.objectContaining({ data: expect.stringMatching(/^No chat destination is deployed/) }),
      }),
    ]);
  });
});

describe('PauboxAlertRelay props', () => {
  test.each([
    ['an older Node.js runtime', { runtime: lambda.Runtime.NODEJS_20_X }, /older than Node\.js 22.*NODEJS_22_X/],
    ['a non-Node.js runtime', { runtime: lambda.Runtime.PYTHON_3_13 }, /not a Node\.js runtime/],
    ['a maxReceiveCount of 0', { maxReceiveCount: 0 }, /maxReceiveCount must be a whole number from 1/],
    ['a fractional memory size', { notifierMemorySize: 256.5 }, /notifierMemorySize must be a whole number/],
  ])('rejects %s with an error saying what to use', (_label, props, message) => {
    const stack = new Stack(projectApp(), 'Invalid');
    expect(() => new PauboxAlertRelay(stack, 'Relay', { config: DEFAULT_DEPLOY_CONFIG, ...props })).toThrow(message);
  });

  test('rejects destination names that collide once PascalCased', () => {
    const config = parseRelayConfig(
      {
        destinations: [{ name: 'a-b' }, { name: 'a--b' }],
        routes: [{ events: ['delivered'], to: ['a-b', 'a--b'] }],
      },
      'deploy',
    );
    const stack = new Stack(projectApp(), 'Collide');
    expect(() => new PauboxAlertRelay(stack, 'Relay', { config })).toThrow(/"a-b" and "a--b".*rename one/);
  });
});

describe('two PauboxAlertRelay in one stack', () => {
  let stack: Stack;
  let template: Template;
  let relays: PauboxAlertRelay[];
  const propertiesOf = (type: string) =>
    Object.values(template.findResources(type)).map((r) => (r as { Properties: Json }).Properties);

  beforeAll(() => {
    stack = new Stack(projectApp(), 'TwoRelays');
    // One without a configuration (the default), one with the default given: the same destination name in both.
    relays = [
      new PauboxAlertRelay(stack, 'Clinic'),
      new PauboxAlertRelay(stack, 'Billing', { config: DEFAULT_DEPLOY_CONFIG }),
    ];
    template = Template.fromStack(stack);
  });

  test('synthesize, each with all its resources; a relay without a configuration deploys the default one', () => {
    expect(relays[0]!.config).toBe(DEFAULT_DEPLOY_CONFIG);
    for (const relay of relays) expect(Object.keys(relay.destinations)).toEqual(['alerts']);
    template.resourceCountIs('AWS::KMS::Key', 2);
    // Each relay: its event topic and its health topic; ingest, rotation, self-test, notifier, health and probe
    // functions.
    template.resourceCountIs('AWS::SNS::Topic', 4);
    template.resourceCountIs('AWS::SQS::Queue', 8);
    template.resourceCountIs('AWS::Lambda::Function', 12);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 2);
  });

  test.each([
    ['AWS::CloudWatch::Dashboard', 'DashboardName', 2],
    ['AWS::SNS::Topic', 'TopicName', 4],
  ])('name each %s apart', (type, property, count) => {
    const names = propertiesOf(type).map((p) => JSON.stringify(p[property]));
    expect(names.filter((name) => name !== undefined)).toHaveLength(count);
    expect(new Set(names).size).toBe(count);
  });

  test('name their dashboards after their own place in the app, and the region', () => {
    const dashboardName = (relay: PauboxAlertRelay) =>
      (template.toJSON().Resources[logicalId(stack, relay.dashboard)] as { Properties: Json }).Properties.DashboardName;
    expect(dashboardName(relays[0]!)).toEqual({
      'Fn::Join': ['', [expect.stringMatching(/^TwoRelays-Clinic-[0-9A-F]{8}-$/), ref('AWS::Region')]],
    });
    expect(dashboardName(relays[1]!)).toEqual({
      'Fn::Join': ['', [expect.stringMatching(/^TwoRelays-Billing-[0-9A-F]{8}-$/), ref('AWS::Region')]],
    });
  });

  test.each([
    ['AWS::SQS::Queue', 'QueueName'],
    ['AWS::Lambda::Function', 'FunctionName'],
    ['AWS::IAM::Role', 'RoleName'],
    ['AWS::SecretsManager::Secret', 'Name'],
    ['AWS::DynamoDB::Table', 'TableName'],
    ['AWS::CloudWatch::Alarm', 'AlarmName'],
    ['AWS::Logs::MetricFilter', 'FilterName'],
    ['AWS::Logs::LogGroup', 'LogGroupName'],
  ])('leave CloudFormation to name each %s', (type, property) => {
    const all = propertiesOf(type);
    expect(all.length).toBeGreaterThan(0);
    for (const properties of all) expect(properties[property]).toBeUndefined();
  });
});
