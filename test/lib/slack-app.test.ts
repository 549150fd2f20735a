import { Match } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import { logicalId, ref, resourcesFor, statementsOf, type Json } from './template-helpers';
import { synthesizeRelay } from './synthesize';

/*
 * A destination in Slack app mode: its subscription also admits the follow-ups of its alerts, its notifier knows
 * its channel and its routes' own policy, its secret is the app's credentials, the probe checks it as an app, and
 * a webhook destination beside it is unchanged.
 */

const config = parseRelayConfig(
  {
    destinations: [
      { name: 'care-app', channel: 'C0123ABCDEF' },
      { name: 'ops', kind: 'slack' },
    ],
    routes: [
      { events: ['permanent_failure', 'temporary_failure'], to: ['care-app', 'ops'] },
      { events: ['delivered'], senderDomains: ['clinic.example.com'], to: ['care-app'] },
    ],
  },
  'deploy',
);
const { stack, template } = synthesizeRelay('SlackAppRelay', config);
const relay = stack.relay;
const app = relay.destinations['care-app']!;
const ops = relay.destinations.ops!;

function subscriptionOf(queueId: string): Json {
  const subscriptions = template.findResources('AWS::SNS::Subscription', {
    Properties: { Endpoint: { 'Fn::GetAtt': [queueId, 'Arn'] } },
  });
  const all = Object.values(subscriptions) as { Properties: Json }[];
  expect(all).toHaveLength(1);
  return all[0]!.Properties;
}

const variablesOf = (fn: { node: { defaultChild?: unknown } }) =>
  (template.toJSON().Resources[logicalId(stack, fn)] as { Properties: { Environment: { Variables: Json } } }).Properties
    .Environment.Variables;

describe('a Slack app-mode destination in the stack', () => {
  it("admits every delivered and opened event beside its routes' events; a webhook destination gets its routes only", () => {
    expect(subscriptionOf(logicalId(stack, app.queue)).FilterPolicy).toStrictEqual({
      $or: [
        { event_type: ['delivered', 'opened', 'permanent_failure', 'temporary_failure'] },
        {
          event_type: ['delivered'],
          sender_domain: ['clinic.example.com', { suffix: '.clinic.example.com' }],
        },
      ],
    });
    expect(subscriptionOf(logicalId(stack, ops.queue)).FilterPolicy).toStrictEqual({
      event_type: ['permanent_failure', 'temporary_failure'],
    });
  });

  it("gives its notifier the channel and the routes' own policy, which tells follow-ups apart", () => {
    const variables = variablesOf(app.function);
    expect(variables.DESTINATION_CHANNEL).toBe('C0123ABCDEF');
    expect(JSON.parse(variables.ROUTED_FILTER_POLICY as string)).toStrictEqual({
      $or: [
        { event_type: ['permanent_failure', 'temporary_failure'] },
        { event_type: ['delivered'], sender_domain: ['clinic.example.com', { suffix: '.clinic.example.com' }] },
      ],
    });
    expect(variables.DESTINATION_SECRET_ARN).toEqual(ref(logicalId(stack, app.secret)));
    const opsVariables = variablesOf(ops.function);
    expect(opsVariables.DESTINATION_CHANNEL).toBeUndefined();
    expect(opsVariables.ROUTED_FILTER_POLICY).toBeUndefined();
  });

  it('keeps the bot token in the destination secret, which the notifier alone of the two may read', () => {
    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      Description: Match.stringLikeRegexp('Slack app credentials of the "care-app" .*botToken.*--bot-token -'),
    });
    const secrets = resourcesFor(
      statementsOf(template, logicalId(stack, app.function)),
      'secretsmanager:GetSecretValue',
    );
    expect(secrets).toContain(JSON.stringify(ref(logicalId(stack, app.secret))));
    expect(secrets).not.toContain(JSON.stringify(ref(logicalId(stack, ops.secret))));
    // Threads are items of the relay table, which the notifier reads and writes.
    const actions = statementsOf(template, logicalId(stack, app.function)).flatMap((s) => [s.Action].flat());
    expect(actions).toEqual(expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem']));
    template.hasOutput('CareAppDestinationChannel', { Value: 'C0123ABCDEF' });
  });

  it('has the probe check it as an app, by its channel', () => {
    const probe = variablesOf(relay.probeFunction!);
    // A JSON object joined with the queues' URLs: read as text.
    const text = JSON.stringify(probe.PROBE_DESTINATIONS).replace(/\\"/g, '"');
    expect(text).toMatch(/"care-app":\{.*"kind":"slack","channel":"C0123ABCDEF"\},"ops"/);
    expect(text.match(/"channel"/g)).toHaveLength(1);
  });
});

describe("an app destination's alarm", () => {
  it('says how to fix a Slack app, not a webhook URL', () => {
    const alarm = template.toJSON().Resources[logicalId(stack, app.alarms.broken)] as {
      Properties: { AlarmDescription: string };
    };
    expect(alarm.Properties.AlarmDescription).toMatch(/check-destinations.*--bot-token -.*redrive care-app/);
    expect(alarm.Properties.AlarmDescription).not.toContain('<url>');
  });
});
