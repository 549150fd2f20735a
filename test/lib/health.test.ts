import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_DEPLOY_CONFIG, parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelay, PauboxAlertRelayStack } from '../../lib';
import { logicalId, projectApp, ref, resourcesFor, statementsOf, type Json } from './template-helpers';

/*
 * The first deploy works and can be retried, and every alarm reaches someone: the health topic by default, which
 * CloudWatch may publish to, and the e-mail topic when set.
 */

const config = parseRelayConfig(
  {
    destinations: [
      { name: 'ops', kind: 'slack' },
      { name: 'oncall', kind: 'teams' },
    ],
    routes: [{ events: ['permanent_failure'], to: ['ops', 'oncall'] }],
    alarms: { email: 'oncall@example.com' },
  },
  'deploy',
);

function synth(relayConfig = config) {
  const stack = new PauboxAlertRelayStack(projectApp(), 'HealthRelay', { config: relayConfig });
  return { stack, template: Template.fromStack(stack) };
}

type Resource = { Properties: Json; DeletionPolicy?: string; UpdateReplacePolicy?: string };

/** The statements of the topic policies that apply to `topicId`. */
function topicStatements(template: Template, topicId: string): Json[] {
  const policies = Object.values(template.findResources('AWS::SNS::TopicPolicy')) as Resource[];
  return policies
    .filter((p) => JSON.stringify(p.Properties.Topics) === JSON.stringify([ref(topicId)]))
    .flatMap((p) => (p.Properties.PolicyDocument as { Statement: Json[] }).Statement);
}

function cloudWatchMayPublish(template: Template, topicId: string): void {
  expect(topicStatements(template, topicId)).toContainEqual(
    expect.objectContaining({
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: 'sns:Publish',
      Condition: {
        StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
        ArnLike: { 'aws:SourceArn': expect.anything() },
      },
    }),
  );
}

describe('relay health, deployed', () => {
  it('lets CloudWatch publish to the health topic and to the alarm e-mail topic, from this account only', () => {
    const { stack, template } = synth();
    const relay = stack.node.findAll().find((c): c is PauboxAlertRelay => c instanceof PauboxAlertRelay)!;
    cloudWatchMayPublish(template, logicalId(stack, relay.healthTopic));
    cloudWatchMayPublish(template, logicalId(stack, relay.alarmTopic!));
    // Both topics are encrypted with the relay key, which CloudWatch may use for this account's alarms.
    const key = Object.values(template.findResources('AWS::KMS::Key'))[0] as Resource;
    const statements = (key.Properties.KeyPolicy as { Statement: Json[] }).Statement;
    expect(statements).toContainEqual(
      expect.objectContaining({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Effect: 'Allow' }),
    );
  });

  it('gives every alarm an action on the health topic by default, with no e-mail or topic set', () => {
    const stack = new PauboxAlertRelayStack(projectApp(), 'DefaultRelay', { config: DEFAULT_DEPLOY_CONFIG });
    const template = Template.fromStack(stack);
    const relay = stack.node.findAll().find((c): c is PauboxAlertRelay => c instanceof PauboxAlertRelay)!;
    const topic = ref(logicalId(stack, relay.healthTopic));
    const alarms = Object.values(template.findResources('AWS::CloudWatch::Alarm')) as Resource[];
    expect(alarms.length).toBeGreaterThanOrEqual(9);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toContainEqual(topic);
      expect(alarm.Properties.OKActions).toContainEqual(topic);
    }
  });

  it('subscribes the health function, which may send only to the destination queues', () => {
    const { stack, template } = synth();
    const relay = stack.node.findAll().find((c): c is PauboxAlertRelay => c instanceof PauboxAlertRelay)!;
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: ref(logicalId(stack, relay.healthTopic)),
    });
    const statements = statementsOf(template, logicalId(stack, relay.healthFunction!));
    const queues = Object.values(relay.destinations).map((d) =>
      JSON.stringify({ 'Fn::GetAtt': [logicalId(stack, d.queue), 'Arn'] }),
    );
    expect(resourcesFor(statements, 'sqs:SendMessage').sort()).toEqual(queues.sort());
  });

  it('never keeps a log group whose create failed, so a failed first deploy can be retried', () => {
    const { template } = synth();
    const groups = Object.values(template.findResources('AWS::Logs::LogGroup')) as Resource[];
    expect(groups.length).toBeGreaterThan(3);
    for (const group of groups) {
      expect(group.DeletionPolicy).toBe('RetainExceptOnCreate');
      expect(group.DeletionPolicy).not.toBe('Retain');
    }
  });

  it('names the dashboard after the stack, the relay and the region, never a fixed name', () => {
    const app = projectApp();
    const stacks = ['One', 'Two'].map((id) => {
      const stack = new Stack(app, id);
      new PauboxAlertRelay(stack, 'Relay', { config: DEFAULT_DEPLOY_CONFIG });
      return stack;
    });
    const names = stacks.map((stack) => {
      const dashboards = Template.fromStack(stack).findResources('AWS::CloudWatch::Dashboard');
      return JSON.stringify((Object.values(dashboards)[0] as Resource).Properties.DashboardName);
    });
    expect(names[0]).not.toBe(names[1]);
    for (const name of names) expect(name).toContain('AWS::Region');
  });
});

describe('alarms.topicArn in another region', () => {
  const withTopic = parseRelayConfig(
    {
      destinations: [{ name: 'ops', kind: 'slack' }],
      routes: [{ events: ['permanent_failure'], to: ['ops'] }],
      alarms: { topicArn: 'arn:aws:sns:us-west-2:123456789012:pager' },
    },
    'deploy',
  );

  it('is refused when the stack region is known', () => {
    const app = projectApp();
    expect(
      () => new PauboxAlertRelayStack(app, 'EuRelay', { config: withTopic, env: { region: 'eu-west-1' } }),
    ).toThrow(/alarms.topicArn is in us-west-2 but the stack deploys to eu-west-1/);
  });

  it('is checked by a template rule when the region is known only at deploy', () => {
    const stack = new PauboxAlertRelayStack(projectApp(), 'AnyRegionRelay', { config: withTopic });
    const rules = Template.fromStack(stack).toJSON().Rules as Record<string, { Assertions: Json[] }>;
    expect(JSON.stringify(Object.values(rules))).toContain('us-west-2');
  });
});
