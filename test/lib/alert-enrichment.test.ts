import { Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelayStack } from '../../lib';
import { logicalId, projectApp, ref, resourcesFor, statementsOf } from './template-helpers';

function synth(extra: Record<string, unknown>) {
  const config = parseRelayConfig(
    {
      destinations: [{ name: 'ops', kind: 'slack' }],
      routes: [{ events: ['permanent_failure'], to: ['ops'] }],
      ...extra,
    },
    'deploy',
  );
  const stack = new PauboxAlertRelayStack(projectApp(), 'EnrichedRelay', { config });
  return { stack, template: Template.fromStack(stack) };
}

describe('why and how often, deployed', () => {
  it('with paubox.enrich, notifiers read the API key from its own secret and know the base URL', () => {
    const { stack, template } = synth({
      paubox: { apiBaseUrl: 'https://api.paubox.net/v1/clinic', enrich: true },
      display: { timeZone: 'America/New_York' },
    });
    const secret = stack.relay.pauboxApiKeySecret!;
    const secretId = logicalId(stack, secret);
    const notifierId = logicalId(stack, stack.relay.destinations.ops!.function);
    const env = (
      template.toJSON().Resources[notifierId].Properties.Environment as { Variables: Record<string, unknown> }
    ).Variables;
    expect(env).toMatchObject({
      PAUBOX_API_BASE_URL: 'https://api.paubox.net/v1/clinic',
      PAUBOX_API_KEY_SECRET_ARN: ref(secretId),
      DISPLAY_TIME_ZONE: 'America/New_York',
    });
    const statements = statementsOf(template, notifierId);
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toContain(JSON.stringify(ref(secretId)));
    // Failure counts are items of the relay's table: UpdateItem (ADD to a set), already granted, nothing in bulk.
    expect(resourcesFor(statements, 'dynamodb:UpdateItem')).toHaveLength(1);
    expect(resourcesFor(statements, 'dynamodb:Scan')).toEqual([]);
    expect(Object.keys(template.toJSON().Outputs)).toContain('PauboxApiKeySecretName');
  });

  it('without it, no key secret, no lookups', () => {
    const { stack, template } = synth({});
    expect(stack.relay.pauboxApiKeySecret).toBeUndefined();
    expect(JSON.stringify(template.toJSON())).not.toContain('PAUBOX_API');
    expect(Object.keys(template.toJSON().Outputs)).not.toContain('PauboxApiKeySecretName');
  });
});
