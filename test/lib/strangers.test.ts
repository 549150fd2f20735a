import { Match } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import { messageAttributesTemplate } from '../../functions/ingest';
import { REQUESTS_WITHOUT_TOKEN_METRIC } from '../../functions/observability';
import { synthesizeRelay } from './synthesize';
import { actionsOf, logicalId, ref, statementsOf, type Json } from './template-helpers';

/*
 * Strangers stay outside: the synthesized template has no webhook route that reaches the queue before a token is
 * checked, holds no token, lets the token function alone change routes, and counts refused requests quietly.
 */
const config = parseRelayConfig(
  { destinations: [{ name: 'ops', kind: 'slack' }], routes: [{ events: ['permanent_failure'], to: ['ops'] }] },
  'deploy',
);
const { stack, template } = synthesizeRelay('StrangersRelay', config);
const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const rotate = logicalId(stack, stack.relay.rotateTokenFunction);

describe('strangers stay outside, in the template', () => {
  test('no route with a path parameter (or a catch-all) reaches the ingest queue', () => {
    const [[integrationId]] = ofType('AWS::ApiGatewayV2::Integration') as [[string, unknown]];
    for (const [, route] of ofType('AWS::ApiGatewayV2::Route')) {
      const key = String(route.Properties.RouteKey);
      const target = JSON.stringify(route.Properties.Target);
      if (target.includes(integrationId)) expect(key).not.toMatch(/\{|\$default|ANY /);
    }
    // None at all: the webhook routes are literal token paths made at deploy by the custom resource.
    expect(ofType('AWS::ApiGatewayV2::Route')).toEqual([]);
    template.hasResourceProperties('Custom::PauboxWebhookRoutes', {
      ServiceToken: { 'Fn::GetAtt': [rotate, 'Arn'] },
      IntegrationId: ref(integrationId),
    });
    // The queue integration reads the token from the path API Gateway matched, not from a parameter.
    for (const verifySignatures of [false, true]) {
      expect(messageAttributesTemplate({ verifySignatures })).not.toContain('request.path.');
    }
  });

  test('the token appears nowhere in the template: Secrets Manager generates it at deploy', () => {
    const [tokenId, secret] = ofType('AWS::SecretsManager::Secret').find(
      ([id]) => id === logicalId(stack, stack.relay.tokenSecret),
    )!;
    expect(secret.Properties.SecretString).toBeUndefined();
    expect(secret.Properties.GenerateSecretString).toMatchObject({ PasswordLength: 48, ExcludePunctuation: true });
    const text = JSON.stringify(template.toJSON());
    // A token is 43+ letters and digits after /paubox/; the only /paubox/ in the template is the base URL's.
    expect(text).not.toMatch(/paubox\/[A-Za-z0-9]{43,}/);
    expect(text).not.toMatch(/POST \/paubox\//);
    expect(tokenId).toBeDefined();
  });

  test('only the token function may change routes, on this one API and stage', () => {
    const statements = statementsOf(template, rotate);
    const apiActions = statements.flatMap(actionsOf).filter((a) => a.startsWith('apigateway:'));
    expect(apiActions.sort()).toEqual(['apigateway:DELETE', 'apigateway:GET', 'apigateway:PATCH', 'apigateway:POST']);
    const resourcesText = JSON.stringify(statements.filter((s) => actionsOf(s).includes('apigateway:POST')));
    expect(resourcesText).toContain(logicalId(stack, stack.relay.api));
    expect(resourcesText).not.toContain('"*"');
    for (const [id] of ofType('AWS::Lambda::Function')) {
      if (id === rotate) continue;
      expect(
        statementsOf(template, id)
          .flatMap(actionsOf)
          .filter((a) => a.startsWith('apigateway:')),
      ).toEqual([]);
    }
    // The schedule that deletes a route once its token's overlap ends.
    template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(5 minutes)',
      Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [rotate, 'Arn'] } })],
    });
  });

  test('refused requests are counted from the access log, with an alarm only on a sustained flood', () => {
    template.hasResourceProperties('AWS::Logs::MetricFilter', {
      FilterPattern: '{ $.status = "404" }',
      MetricTransformations: [
        { MetricName: REQUESTS_WITHOUT_TOKEN_METRIC, MetricNamespace: 'PauboxAlertRelay', MetricValue: '1' },
      ],
    });
    const [, alarm] = ofType('AWS::CloudWatch::Alarm').find(
      ([, a]) => a.Properties.MetricName === REQUESTS_WITHOUT_TOKEN_METRIC,
    )!;
    expect(alarm.Properties).toMatchObject({
      Threshold: 3000,
      Period: 300,
      EvaluationPeriods: 3,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
    });
    const description = String(alarm.Properties.AlarmDescription);
    expect(description).toContain('without the token');
    expect(description).toContain('Real webhooks are unaffected');
    expect(description).toContain('rotate-secret');
    // Tells the health topic like every alarm; the notice it becomes is once a day (functions/health).
    expect(JSON.stringify(alarm.Properties.AlarmActions)).toContain(logicalId(stack, stack.relay.healthTopic));
    const dashboard = JSON.stringify(ofType('AWS::CloudWatch::Dashboard')[0]![1].Properties.DashboardBody);
    expect(dashboard).toContain(REQUESTS_WITHOUT_TOKEN_METRIC);
  });
});
