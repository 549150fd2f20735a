import type { Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import type { PauboxAlertRelayStack } from '../../lib';
import { synthesizeRelay } from './synthesize';
import { logicalId, ref, type Json } from './template-helpers';

const PAGER = 'arn:aws:sns:eu-west-1:111122223333:pager';
const config = (alarms?: unknown) =>
  parseRelayConfig(
    {
      destinations: [
        { name: 'ops', kind: 'slack' },
        { name: 'care-team', kind: 'teams' },
      ],
      routes: [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops', 'care-team'] }],
      ...(alarms !== undefined ? { alarms } : {}),
    },
    'deploy',
  );
const json = (value: unknown) => JSON.stringify(value);
type Resources = Record<string, { Type: string; Properties: Json }>;

describe('PauboxAlertRelay operations: alarms and dashboard', () => {
  describe('with alarms.email, alarms.topicArn and a delay threshold', () => {
    let stack: PauboxAlertRelayStack;
    let template: Template;
    let resources: Resources;

    beforeAll(() => {
      ({ stack, template } = synthesizeRelay(
        'OpsRelay',
        config({ email: 'oncall@clinic.example.com', topicArn: PAGER, endToEndDelaySeconds: 120 }),
      ));
      resources = template.toJSON().Resources as Resources;
    });

    test('creates an alarm topic encrypted with the relay key, with the address subscribed', () => {
      const topic = stack.relay.alarmTopic!;
      const topicId = logicalId(stack, topic);
      expect(resources[topicId]?.Properties.KmsMasterKeyId).toEqual({
        'Fn::GetAtt': [logicalId(stack, stack.relay.key), 'Arn'],
      });
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'email',
        Endpoint: 'oncall@clinic.example.com',
        TopicArn: ref(topicId),
      });
    });

    test('lets CloudWatch alarms use the key, so that they can publish to the encrypted topic', () => {
      const key = resources[logicalId(stack, stack.relay.key)]!;
      const statements = (key.Properties.KeyPolicy as { Statement: Json[] }).Statement;
      const forCloudWatch = statements.filter((s) => json(s.Principal).includes('cloudwatch.amazonaws.com'));
      expect(forCloudWatch).toEqual([
        expect.objectContaining({ Effect: 'Allow', Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
      ]);
      // Only for alarms of this account: the key also protects the queues, the table and the secrets.
      expect(json(forCloudWatch[0]!.Condition)).toContain('aws:SourceAccount');
      expect(json(forCloudWatch[0]!.Condition)).toContain(':alarm:*');
    });

    test('every alarm notifies the health topic, the created topic and the configured one', () => {
      const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Json }[];
      expect(alarms).toHaveLength(17); // 14, a probe alarm per destination and the probe's errors
      const health = ref(logicalId(stack, stack.relay.healthTopic));
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([health, ref(logicalId(stack, stack.relay.alarmTopic!)), PAGER]);
      }
    });

    test('the delay alarm of each destination watches EndToEndDelay with the configured threshold', () => {
      for (const name of ['ops', 'care-team']) {
        const alarm = resources[logicalId(stack, stack.relay.destinations[name]!.alarms.delay)];
        expect(alarm?.Properties).toMatchObject({
          Namespace: 'PauboxAlertRelay',
          MetricName: 'EndToEndDelay',
          Dimensions: [
            { Name: 'Destination', Value: name },
            { Name: 'Relay', Value: 'OpsRelay/Relay' },
            { Name: 'service', Value: 'notifier' },
          ],
          Statistic: 'Maximum',
          Period: 300,
          Threshold: 120_000,
          ComparisonOperator: 'GreaterThanThreshold',
          TreatMissingData: 'notBreaching',
        });
        expect(alarm?.Properties.AlarmDescription).toEqual(expect.stringContaining(`"${name}" more than 2 minutes`));
      }
    });

    test('the errors alarm of each destination watches its own notifier function', () => {
      for (const name of ['ops', 'care-team']) {
        const destination = stack.relay.destinations[name]!;
        expect(resources[logicalId(stack, destination.alarms.errors)]?.Properties).toMatchObject({
          Namespace: 'AWS/Lambda',
          MetricName: 'Errors',
          Dimensions: [{ Name: 'FunctionName', Value: ref(logicalId(stack, destination.function)) }],
          Statistic: 'Sum',
          Threshold: 1,
          ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        });
      }
    });

    test('ingest alarms watch the function errors and every 5xx answer of the HTTP API', () => {
      expect(resources[logicalId(stack, stack.relay.ingestAlarms.errors)]?.Properties).toMatchObject({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: ref(logicalId(stack, stack.relay.ingestFunction)) }],
        Threshold: 1,
      });
      const serverErrors = resources[logicalId(stack, stack.relay.ingestAlarms.serverErrors)]!;
      expect(serverErrors.Properties).toMatchObject({
        Namespace: 'AWS/ApiGateway',
        MetricName: '5xx',
        Dimensions: [{ Name: 'ApiId', Value: ref(logicalId(stack, stack.relay.api)) }],
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      expect(serverErrors.Properties.AlarmDescription).toEqual(expect.stringContaining('Paubox does not retry'));
    });

    test('an ingest alarm fires on the first webhook the stage throttled, counted from the access log', () => {
      const throttled = resources[logicalId(stack, stack.relay.ingestAlarms.throttled)]!;
      expect(throttled.Properties).toMatchObject({
        Namespace: 'PauboxAlertRelay',
        MetricName: 'WebhooksThrottled',
        Statistic: 'Sum',
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      });
      const filters = Object.values(resources).filter((r) => r.Type === 'AWS::Logs::MetricFilter');
      // The other filter counts requests without the token (test/lib/strangers.test.ts).
      expect(filters.map((f) => f.Properties).filter((p) => p.FilterPattern !== '{ $.status = "404" }')).toEqual([
        expect.objectContaining({
          LogGroupName: ref(logicalId(stack, stack.relay.accessLogGroup)),
          FilterPattern: '{ $.status = "429" }',
          MetricTransformations: [
            expect.objectContaining({
              MetricNamespace: 'PauboxAlertRelay',
              MetricName: 'WebhooksThrottled',
              MetricValue: '1',
            }),
          ],
        }),
      ]);
    });

    describe('dashboard', () => {
      let body: string;
      beforeAll(() => {
        const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard')) as {
          Properties: Json;
        }[];
        // Dashboard names are global to an account: the stack's name and the relay's hash (as in its topic's and
        // log groups' names), then the region.
        const topicName = resources[logicalId(stack, stack.relay.topic)]?.Properties.TopicName as string;
        const stem = topicName.replace(/-events$/, '');
        expect(stem).toMatch(/^OpsRelay-[0-9A-F]{8}$/);
        expect(dashboard?.Properties.DashboardName).toEqual({ 'Fn::Join': ['', [`${stem}-`, ref('AWS::Region')]] });
        body = json(dashboard?.Properties.DashboardBody);
      });

      test('shows the state of every alarm', () => {
        for (const alarm of stack.relay.alarms)
          expect(body).toContain(json({ 'Fn::GetAtt': [logicalId(stack, alarm), 'Arn'] }));
      });

      test('graphs accepted webhooks by type, rejected ones by reason, and the endpoint', () => {
        for (const type of ['delivered', 'opened', 'temporary_failure', 'permanent_failure']) {
          expect(body).toContain(
            `[\\"PauboxAlertRelay\\",\\"EventsReceived\\",\\"EventType\\",\\"${type}\\",\\"Relay\\",\\"OpsRelay/Relay\\",\\"service\\",\\"ingest\\"`,
          );
        }
        expect(body).toContain('SEARCH(');
        expect(body).toContain('MetricName=\\\\\\"WebhooksRejected\\\\\\"');
        expect(body).toContain('\\"AWS/ApiGateway\\",\\"5xx\\"');
      });

      test('has a row per destination: outcomes, end-to-end delay with the alarm threshold, queues, function', () => {
        for (const name of ['ops', 'care-team']) {
          expect(body).toContain(`${name}: alerts by outcome`);
          expect(body).toContain(`${name}: end-to-end delay`);
          for (const metric of [
            'AlertsPosted',
            'AlertsDeferred',
            'DeadLetters',
            'DigestEvents',
            'EndToEndDelay',
            'RateLimited',
          ]) {
            expect(body).toContain(
              `\\"${metric}\\",\\"Destination\\",\\"${name}\\",\\"Relay\\",\\"OpsRelay/Relay\\",\\"service\\",\\"notifier\\"`,
            );
          }
        }
        expect(body).toContain('{\\"value\\":120000,\\"label\\":\\"alarm threshold\\"');
      });
    });

    test('outputs the dashboard URL, the de-duplication table and each destination kind', () => {
      const url = json(template.findOutputs('DashboardUrl'));
      expect(url).toContain('.console.aws.amazon.com/cloudwatch/home?region=');
      expect(url).toContain(`"#dashboards/dashboard/",${json(ref(logicalId(stack, stack.relay.dashboard)))}`);
      template.hasOutput('DedupTableName', { Value: ref(logicalId(stack, stack.relay.dedupTable)) });
      template.hasOutput('OpsDestinationKind', { Value: 'slack' });
      template.hasOutput('CareTeamDestinationKind', { Value: 'teams' });
    });
  });

  describe('without an alarms block', () => {
    let stack: PauboxAlertRelayStack;
    let template: Template;

    beforeAll(() => {
      ({ stack, template } = synthesizeRelay('QuietRelay', config(), { dashboardName: 'relay-ops' }));
    });

    test('creates no alarm topic; the alarms notify the health topic, whose key CloudWatch may use', () => {
      expect(stack.relay.alarmTopic).toBeUndefined();
      // The event topic and the health topic.
      template.resourceCountIs('AWS::SNS::Topic', 2);
      expect(json(template.findResources('AWS::KMS::Key'))).toContain('cloudwatch.amazonaws.com');
    });

    test('uses the default delay threshold of 300 seconds and the given dashboard name', () => {
      const alarm = template.toJSON().Resources[logicalId(stack, stack.relay.destinations.ops!.alarms.delay)];
      expect(alarm.Properties.Threshold).toBe(300_000);
      template.hasResourceProperties('AWS::CloudWatch::Dashboard', { DashboardName: 'relay-ops' });
    });
  });

  test('only the configured topic when there is no e-mail address', () => {
    const { stack, template } = synthesizeRelay('PagerRelay', config({ topicArn: PAGER }));
    template.resourceCountIs('AWS::SNS::Topic', 2);
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as { Properties: Json }[];
    expect(alarms).toHaveLength(17); // 14, a probe alarm per destination and the probe's errors
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([ref(logicalId(stack, stack.relay.healthTopic)), PAGER]);
    }
  });
});
