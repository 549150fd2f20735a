import { parseRelayConfig } from '../../functions/config';
import { synthesizeRelay } from './synthesize';
import { actionsOf, arnOf, logicalId, ref, resourcesFor, statementsOf, type Json } from './template-helpers';

/*
 * The deploy's self-test in the template: a custom resource after every resource of the accept path, whose
 * function may read the token and the one table item, and nothing else; re-run when the accept path changes.
 */

const DESTINATIONS = [{ name: 'ops', kind: 'slack' }];
function synth(id: string, extra: Record<string, unknown> = {}, destinations: Json[] = DESTINATIONS) {
  const config = parseRelayConfig(
    { destinations, routes: [{ events: ['permanent_failure'], to: destinations.map((d) => d.name) }], ...extra },
    'deploy',
  );
  const { stack, template } = synthesizeRelay(id, config);
  const resources = template.toJSON().Resources as Record<
    string,
    { Type: string; Properties: Json; DependsOn?: string[] }
  >;
  const selfTests = Object.entries(resources).filter(([, r]) => r.Type === 'Custom::PauboxSelfTest');
  return { stack, template, resources, selfTests };
}

describe('the deploy self-test', () => {
  const { stack, template, resources, selfTests } = synth('SelfTested');
  const relay = stack.relay;

  test('runs after the API, the webhook route of the token, the integration, the queue, the consumer and its source, the table', () => {
    expect(selfTests).toHaveLength(1);
    const [, selfTest] = selfTests[0]!;
    const after = new Set(selfTest.DependsOn ?? []);
    const idsOfType = (type: string) => Object.keys(resources).filter((id) => resources[id]!.Type === type);
    for (const type of [
      'AWS::ApiGatewayV2::Api',
      'AWS::ApiGatewayV2::Stage',
      'AWS::ApiGatewayV2::Integration',
      'Custom::PauboxWebhookRoutes',
      'AWS::DynamoDB::Table',
    ]) {
      expect(idsOfType(type).length).toBeGreaterThan(0);
      for (const id of idsOfType(type)) expect([type, after.has(id)]).toEqual([type, true]);
    }
    for (const construct of [relay.ingestQueue, relay.ingestFunction, relay.dedupTable, relay.selfTestFunction!]) {
      expect(after.has(logicalId(stack, construct))).toBe(true);
    }
    const ingestSource = idsOfType('AWS::Lambda::EventSourceMapping').filter((id) => id.startsWith('RelayIngest'));
    expect(ingestSource).toHaveLength(1);
    expect(after.has(ingestSource[0]!)).toBe(true);
    // The consumer's grants (its role's policy) are in place before the webhook is posted.
    const consumerPolicies = Object.keys(resources).filter(
      (id) => resources[id]!.Type === 'AWS::IAM::Policy' && id.startsWith('RelayIngestFunctionRole'),
    );
    expect(consumerPolicies.length).toBeGreaterThan(0);
    for (const id of consumerPolicies) expect(after.has(id)).toBe(true);
    expect(selfTest.Properties.ServiceToken).toEqual(arnOf(logicalId(stack, relay.selfTestFunction!)));
    expect(selfTest.Properties.AcceptPath).toMatch(/^[0-9a-f]{32}$/);
  });

  test('its function may read the token secret and the table item, and nothing else', () => {
    const fnId = logicalId(stack, relay.selfTestFunction!);
    const statements = statementsOf(template, fnId);
    const actions = statements.flatMap(actionsOf).sort();
    expect(actions.filter((a) => !a.startsWith('logs:'))).toEqual([
      'dynamodb:GetItem',
      'kms:Decrypt',
      'kms:DescribeKey',
      'secretsmanager:DescribeSecret',
      'secretsmanager:GetSecretValue',
    ]);
    const token = JSON.stringify(ref(logicalId(stack, relay.tokenSecret)));
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toEqual([token]);
    expect(resourcesFor(statements, 'dynamodb:GetItem')).toEqual([
      JSON.stringify(arnOf(logicalId(stack, relay.dedupTable))),
    ]);
    const variables = (resources[fnId]!.Properties.Environment as { Variables: Json }).Variables;
    expect(Object.keys(variables).sort()).toEqual([
      'RELAY_ID',
      'SELF_TEST_TABLE_NAME',
      'TOKEN_SECRET_ARN',
      'WEBHOOK_BASE_URL',
    ]);
  });

  test('the consumer may record a self-test: PutItem on the table, named in its environment', () => {
    const ingestId = logicalId(stack, relay.ingestFunction);
    const statements = statementsOf(template, ingestId);
    // Granted twice on the one table (the self-test record, and the bounce-rate alert states): one resource.
    expect([...new Set(resourcesFor(statements, 'dynamodb:PutItem'))]).toEqual([
      JSON.stringify(arnOf(logicalId(stack, relay.dedupTable))),
    ]);
    // Its reads are the bounce-rate counters' (item by item, lib/relay/sender-alerts.ts); nothing in bulk.
    expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:Scan');
    expect(statements.flatMap(actionsOf)).not.toContain('dynamodb:Query');
    const variables = (resources[ingestId]!.Properties.Environment as { Variables: Json }).Variables;
    expect(variables.SELF_TEST_TABLE_NAME).toEqual(ref(logicalId(stack, relay.dedupTable)));
  });

  test('re-runs when the accept path changes, and only then', () => {
    const hashOf = (s: ReturnType<typeof synth>) => s.selfTests[0]![1].Properties.AcceptPath;
    // Bounce-rate notices stay with ops: a destination that received them would change the consumer (its queues).
    const same = synth('SelfTested', { rates: { to: ['ops'] } }, [...DESTINATIONS, { name: 'billing', kind: 'slack' }]);
    expect(hashOf(same)).toBe(hashOf({ stack, template, resources, selfTests }));
    const signed = synth('SelfTested', { ingest: { verifySignatures: true } });
    expect(hashOf(signed)).not.toBe(hashOf({ stack, template, resources, selfTests }));
  });

  test('selfTest: false leaves it out; the consumer still records self-tests for verify', () => {
    const off = synth('NotSelfTested', { selfTest: false });
    expect(off.selfTests).toEqual([]);
    expect(off.stack.relay.selfTestFunction).toBeUndefined();
    const statements = statementsOf(off.template, logicalId(off.stack, off.stack.relay.ingestFunction));
    expect(statements.flatMap(actionsOf)).toContain('dynamodb:PutItem');
  });
});
