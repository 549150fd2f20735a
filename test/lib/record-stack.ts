/** A relay stack with two destinations and the given record keys (archive, reports, automation). */
import { Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelayStack } from '../../lib/paubox-alert-relay-stack';
import { projectApp, type Json } from './template-helpers';

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
  const template = Template.fromStack(stack);
  return {
    stack,
    template,
    resources: template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>,
  };
}
