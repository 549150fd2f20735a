import { Match, Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config/relay-config';
import { PauboxAlertRelayStack } from '../../lib/paubox-alert-relay-stack';
import { projectApp } from './template-helpers';

export function recordStack(extra: Record<string, unknown>) {
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops', kind: 'slack' },
        { name: 'care-team', kind: 'teams', detail: 'full' },
      ],
      routes: [{ events: ['permanent_failure', 'temporary_failure'], to: ['ops', 'care-team'] }],
      ...extra,
    },
    'deploy',
  );
  const stack = new PauboxAlertRelayStack(projectApp(), 'RecordRelay', { config });
  return { stack, template: Template.fromStack(stack) };
}

describe('the archive', () => {
  const { stack, template } = recordStack({ archive: { retentionDays: 400 } });
  it('synthesizes', () => {
    expect(Object.keys(template.toJSON().Resources).length).toBeGreaterThan(0);
    expect(stack.relay.record.archive).toBeDefined();
    template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 1);
    void Match;
  });
});
