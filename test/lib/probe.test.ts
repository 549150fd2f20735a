import { Validations } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelay, PauboxAlertRelayStack } from '../../lib';
import { logicalId, projectApp, ref, resourcesFor, statementsOf, type Json } from './template-helpers';

/* The scheduled probe: its schedule, what it may read, and its alarms acting on the relay's health topic. */

function synth(health: Record<string, unknown> = {}) {
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops', kind: 'slack' },
        { name: 'oncall', kind: 'teams' },
      ],
      routes: [{ events: ['permanent_failure'], to: ['ops', 'oncall'] }],
      health,
    },
    'deploy',
  );
  const stack = new PauboxAlertRelayStack(projectApp(), 'ProbeRelay', { config });
  const relay = stack.node.findAll().find((c): c is PauboxAlertRelay => c instanceof PauboxAlertRelay)!;
  return { stack, relay, template: Template.fromStack(stack) };
}

describe('the scheduled destination probe', () => {
  it('runs every health.probeMinutes (60 by default)', () => {
    const { stack, relay, template } = synth();
    const fnArn = { 'Fn::GetAtt': [logicalId(stack, relay.probeFunction!), 'Arn'] };
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(1 hour)',
      State: 'ENABLED',
      Targets: [Match.objectLike({ Arn: fnArn, RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 2 }) })],
    });
    synth({ probeMinutes: 15 }).template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
    });
  });

  it("reads each destination's URL secret, uses the relay key only, and lists only the relay's alarms", () => {
    const { stack, relay, template } = synth();
    const statements = statementsOf(template, logicalId(stack, relay.probeFunction!));
    const secrets = Object.values(relay.destinations).map((d) => JSON.stringify(ref(logicalId(stack, d.secret))));
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue').sort()).toEqual(secrets.sort());
    const decrypt = statements.filter((s) => JSON.stringify(s.Action).includes('kms:Decrypt'));
    expect(decrypt.length).toBeGreaterThan(0);
    for (const s of decrypt) {
      expect(JSON.stringify(s.Resource)).toBe(JSON.stringify({ 'Fn::GetAtt': [logicalId(stack, relay.key), 'Arn'] }));
    }
    // kms:Decrypt for the secrets (through Secrets Manager) and for sending to the encrypted queues: this key only.
    expect(resourcesFor(statements, 'secretsmanager:PutSecretValue')).toEqual([]);
    // DescribeAlarms as CloudWatch's API reference scopes it (`*`), and no other action on `*`.
    expect(resourcesFor(statements, 'cloudwatch:DescribeAlarms')).toEqual(['"*"']);
    const onEverything = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
    expect(onEverything.map((s) => s.Action)).toEqual(['cloudwatch:DescribeAlarms']);
  });

  it('raises one alarm per destination on its probe verdict, acting on the health topic', () => {
    const { stack, relay, template } = synth();
    const topic = ref(logicalId(stack, relay.healthTopic));
    for (const name of ['ops', 'oncall']) {
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        MetricName: 'DestinationProbeBroken',
        Namespace: 'PauboxAlertRelay',
        Dimensions: [
          { Name: 'Destination', Value: name },
          { Name: 'Relay', Value: relay.relayId },
          { Name: 'service', Value: 'probe' },
        ],
        Statistic: 'Maximum',
        Period: 3600,
        Threshold: 1,
        TreatMissingData: 'ignore',
        AlarmActions: Match.arrayWith([topic]),
        OKActions: [topic],
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      MetricName: 'Errors',
      Namespace: 'AWS/Lambda',
      Dimensions: [{ Name: 'FunctionName', Value: ref(logicalId(stack, relay.probeFunction!)) }],
      AlarmActions: Match.arrayWith([topic]),
    });
    const env = template.toJSON().Resources[logicalId(stack, relay.probeFunction!)].Properties.Environment
      .Variables as Json;
    expect(env.HEALTH_TOPIC_ARN).toEqual(topic);
    expect(env.HEALTH_HEARTBEAT).toBe('false');
    expect(env.REMINDER_HOURS).toBe('4');
    const on = synth({ heartbeat: true });
    const onEnv = on.template.toJSON().Resources[logicalId(on.stack, on.relay.probeFunction!)].Properties.Environment
      .Variables as Json;
    expect(onEnv.HEALTH_HEARTBEAT).toBe('true');
  });

  it('shows the probe on the dashboard and acknowledges the DescribeAlarms wildcard on its role only', () => {
    const { stack, relay, template } = synth();
    const body = JSON.stringify(Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0]);
    expect(body).toContain('Destination probe');
    expect(body).toContain('DestinationProbeBroken');
    const role = relay.probeFunction!.role!.node;
    const acknowledged = JSON.stringify(role.metadata.map((m) => m.data));
    expect(acknowledged).toContain('AwsSolutions-IAM5[Resource::*]');
    expect(acknowledged).toContain('cloudwatch:DescribeAlarms');
    expect(role.metadata.every((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY || m.type)).toBe(true);
    expect(logicalId(stack, relay.probeFunction!)).toMatch(/^RelayProbeFunction/);
  });
});
