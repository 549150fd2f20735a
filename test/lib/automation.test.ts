import { recordStack } from './record-stack';
import { arnOf, logicalId, resourcesFor, statementsOf, type Json } from './template-helpers';

describe('events for automation', () => {
  const { stack, template, resources } = recordStack({
    archive: { detail: 'recipient' },
    automation: { eventBridge: true },
  });
  const automation = stack.relay.record.automation;

  it("puts events on a relay-owned bus through a queue of its own, at the archive's detail level", () => {
    template.resourceCountIs('AWS::Events::EventBus', 1);
    const publisher = logicalId(stack, automation!.function);
    const statements = statementsOf(template, publisher);
    expect(resourcesFor(statements, 'events:PutEvents')).toEqual([
      JSON.stringify(arnOf(logicalId(stack, automation!.bus))),
    ]);
    const env = (resources[publisher]!.Properties as { Environment: { Variables: Json } }).Environment.Variables;
    expect(env.ARCHIVE_DETAIL).toBe('recipient');
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      Endpoint: arnOf(logicalId(stack, automation!.queue)),
      RawMessageDelivery: true,
    });
  });

  it('is not deployed unless automation.eventBridge is on', () => {
    recordStack({ archive: {}, automation: { eventBridge: false } }).template.resourceCountIs(
      'AWS::Events::EventBus',
      0,
    );
  });
});
