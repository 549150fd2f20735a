import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelayStack } from '../../lib';
import { INTERACTIVITY_BURST_LIMIT, INTERACTIVITY_RATE_LIMIT } from '../../lib/relay/slack-interactivity';
import { synthesizeRelay } from './synthesize';
import { logicalId, projectApp, ref, resourcesFor, statementsOf, type Json } from './template-helpers';

/*
 * Slack's interactivity URL in the template: one literal `POST /slack/interactivity` route with a throttle of its
 * own, integrated with a small function that may read the app-mode destinations' secrets and no other, beside the
 * webhook route's rules, which are exactly those of the same relay without an app-mode destination.
 */
const destinations = [
  { name: 'ops', kind: 'slack' },
  { name: 'app', kind: 'slack', channel: 'C0123ABCDEF' },
  { name: 'care', kind: 'teams' },
];
const routes = [{ events: ['permanent_failure'], to: ['ops', 'app', 'care'] }];
const withApp = synthesizeRelay('AppRelay', parseRelayConfig({ destinations, routes }, 'deploy'));
const withoutApp = synthesizeRelay(
  'AppRelay',
  parseRelayConfig(
    { destinations: destinations.filter((d) => d.name !== 'app'), routes: [{ ...routes[0]!, to: ['ops', 'care'] }] },
    'deploy',
  ),
);
type Resource = { Type: string; Properties: Json };
const resourcesOf = (t: typeof withApp) => t.template.toJSON().Resources as Record<string, Resource>;
const ofType = (t: typeof withApp, type: string) => Object.entries(resourcesOf(t)).filter(([, r]) => r.Type === type);
const { stack, template } = withApp;
const fnId = logicalId(stack, stack.relay.interactivityFunction!);

describe('the interactivity route', () => {
  test('is one literal POST /slack/interactivity route, integrated with the interactivity function', () => {
    const routesFound = ofType(withApp, 'AWS::ApiGatewayV2::Route');
    expect(routesFound.map(([, r]) => r.Properties.RouteKey)).toEqual(['POST /slack/interactivity']);
    const [[integrationId, integration]] = ofType(withApp, 'AWS::ApiGatewayV2::Integration').filter(
      ([, i]) => i.Properties.IntegrationType === 'AWS_PROXY' && i.Properties.IntegrationSubtype === undefined,
    ) as [[string, Resource]];
    expect(integration.Properties).toMatchObject({
      IntegrationUri: { 'Fn::GetAtt': [fnId, 'Arn'] },
      PayloadFormatVersion: '2.0',
    });
    expect(JSON.stringify(routesFound[0]![1].Properties.Target)).toContain(integrationId);
    // API Gateway may invoke it for that route only.
    const permissions = ofType(withApp, 'AWS::Lambda::Permission').filter(([, p]) =>
      JSON.stringify(p.Properties.FunctionName).includes(fnId),
    );
    expect(permissions).toHaveLength(1);
    expect(JSON.stringify(permissions[0]![1].Properties.SourceArn)).toContain('/*/*/slack/interactivity');
  });

  test('has its own throttle on the stage, beside the unchanged default one', () => {
    const [[, stage]] = ofType(withApp, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    expect(stage.Properties.RouteSettings).toEqual({
      'POST /slack/interactivity': {
        ThrottlingRateLimit: INTERACTIVITY_RATE_LIMIT,
        ThrottlingBurstLimit: INTERACTIVITY_BURST_LIMIT,
      },
    });
  });

  test('its function reads the app-mode destination secrets only, and the relay table for replays', () => {
    const statements = statementsOf(template, fnId);
    const appSecret = logicalId(stack, stack.relay.destinations.app!.secret);
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toEqual([JSON.stringify(ref(appSecret))]);
    expect(JSON.stringify(statements)).not.toContain(logicalId(stack, stack.relay.destinations.ops!.secret));
    expect(JSON.stringify(statements)).not.toContain(logicalId(stack, stack.relay.tokenSecret));
    const tableArn = JSON.stringify({ 'Fn::GetAtt': [logicalId(stack, stack.relay.dedupTable), 'Arn'] });
    for (const action of ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:GetItem']) {
      expect(resourcesFor(statements, action)).toContain(tableArn);
    }
    expect(statements.flatMap((s) => s.Action)).not.toContain('dynamodb:Scan');
    const env = (resourcesOf(withApp)[fnId]!.Properties.Environment as { Variables: Record<string, unknown> })
      .Variables;
    expect(JSON.stringify(env.APP_DESTINATIONS)).toContain(appSecret);
    expect(JSON.stringify(env.APP_DESTINATIONS)).toContain('C0123ABCDEF');
    expect(JSON.stringify(env.APP_DESTINATIONS)).not.toContain('"ops');
    expect(env.RELAY_TABLE_NAME).toEqual(ref(logicalId(stack, stack.relay.dedupTable)));
  });

  test('leaves cdk-nag (AwsSolutions, HIPAA Security) nothing unacknowledged', () => {
    const app = projectApp();
    new PauboxAlertRelayStack(app, 'NagAppRelay', { config: parseRelayConfig({ destinations, routes }, 'deploy') });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
    // The plugins make synth throw on any finding that is not acknowledged.
    expect(() => app.synth()).not.toThrow();
  });

  test("has an errors alarm among the relay's, and its URL as a stack output", () => {
    const alarm = stack.relay.alarms.find((a) => a.node.id === 'InteractivityErrorsAlarm');
    expect(alarm).toBeDefined();
    const outputs = template.toJSON().Outputs as Record<string, { Value: unknown }>;
    expect(JSON.stringify(outputs.SlackInteractivityUrl!.Value)).toContain('/slack/interactivity');
    expect(JSON.stringify(outputs.SlackInteractivityUrl!.Value)).toContain(logicalId(stack, stack.relay.api));
  });

  test('its requests are graphed by outcome on the dashboard', () => {
    const [[, dashboard]] = ofType(withApp, 'AWS::CloudWatch::Dashboard') as [[string, Resource]];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    expect(body).toContain('Slack buttons: interactivity requests');
    for (const outcome of ['acted', 'refused', 'ignored', 'failed']) {
      expect(body).toMatch(new RegExp(`SlackInteractivityRequests.{0,400}Reason.{0,20}${outcome}`));
    }
    const [[, without]] = ofType(withoutApp, 'AWS::CloudWatch::Dashboard') as [[string, Resource]];
    expect(JSON.stringify(without.Properties.DashboardBody)).not.toContain('SlackInteractivityRequests');
  });

  test('is not deployed without a destination in app mode', () => {
    expect(withoutApp.stack.relay.interactivityFunction).toBeUndefined();
    expect(ofType(withoutApp, 'AWS::ApiGatewayV2::Route')).toEqual([]);
    expect(withoutApp.template.toJSON().Outputs.SlackInteractivityUrl).toBeUndefined();
  });
});

describe("the webhook route's rules", () => {
  const webhookParts = (t: typeof withApp) => {
    const [[, queueIntegration]] = ofType(t, 'AWS::ApiGatewayV2::Integration').filter(
      ([, i]) => i.Properties.IntegrationSubtype === 'SQS-SendMessage',
    ) as [[string, Resource]];
    const [[, stage]] = ofType(t, 'AWS::ApiGatewayV2::Stage') as [[string, Resource]];
    const [[, routesResource]] = ofType(t, 'Custom::PauboxWebhookRoutes') as [[string, Resource]];
    const rotate = resourcesOf(t)[logicalId(t.stack, t.stack.relay.rotateTokenFunction)]!;
    return {
      queueIntegration: queueIntegration.Properties,
      defaultThrottle: stage.Properties.DefaultRouteSettings,
      accessLog: stage.Properties.AccessLogSettings,
      webhookRoutes: routesResource.Properties,
      rotateEnv: rotate.Properties.Environment,
      rotatePolicy: statementsOf(t.template, logicalId(t.stack, t.stack.relay.rotateTokenFunction)),
    };
  };

  test('are those of the same relay without an app-mode destination', () => {
    expect(webhookParts(withApp)).toEqual(webhookParts(withoutApp));
  });

  test('no route reaches the ingest queue, and none is a catch-all', () => {
    const [[queueId]] = ofType(withApp, 'AWS::ApiGatewayV2::Integration').filter(
      ([, i]) => i.Properties.IntegrationSubtype === 'SQS-SendMessage',
    ) as [[string, Resource]];
    for (const [, route] of ofType(withApp, 'AWS::ApiGatewayV2::Route')) {
      expect(JSON.stringify(route.Properties.Target)).not.toContain(queueId);
      expect(String(route.Properties.RouteKey)).not.toMatch(/\{|\$default|ANY /);
    }
  });
});
