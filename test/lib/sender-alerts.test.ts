import { Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig } from '../../functions/config';
import { INGEST_ENV, NOTIFIER_ENV, PROBE_ENV } from '../../functions/aws';
import { ADVICE_DETAIL_TYPE } from '../../functions/sending';
import { PauboxAlertRelayStack } from '../../lib';
import { logicalId, projectApp, ref, resourcesFor, statementsOf } from './template-helpers';

function synth(extra: Record<string, unknown>) {
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops', kind: 'slack' },
        { name: 'audit', kind: 'teams' },
      ],
      routes: [
        { events: ['permanent_failure'], to: ['ops'] },
        { events: ['delivered'], to: ['audit'] },
      ],
      ...extra,
    },
    'deploy',
  );
  const stack = new PauboxAlertRelayStack(projectApp(), 'SenderAlertRelay', { config });
  return { stack, template: Template.fromStack(stack) };
}

describe('bounce-rate alerts, deployed', () => {
  const { stack, template } = synth({ rates: { window: '12h', minVolume: 80 }, health: { reminderHours: 6 } });
  const ingestId = logicalId(stack, stack.relay.ingestFunction);
  const env = (template.toJSON().Resources[ingestId].Properties.Environment as { Variables: Record<string, unknown> })
    .Variables;
  const tableId = logicalId(stack, stack.relay.dedupTable);

  it('counts in the relay table, where every event passes: the ingest consumer, told the settings', () => {
    expect(env[INGEST_ENV.rateTable.name]).toEqual(ref(tableId));
    expect(JSON.parse(env[INGEST_ENV.rateSettings.name] as string)).toEqual({
      windowMs: 12 * 3_600_000,
      minVolume: 80,
      warnAt: 0.02,
      alertAt: 0.05,
      reminderMs: 6 * 3_600_000,
    });
  });

  it('queues notices only on the queues of the destinations that receive permanent failures', () => {
    const queues = JSON.stringify(env[INGEST_ENV.rateQueues.name]);
    const opsQueue = logicalId(stack, stack.relay.destinations.ops!.queue);
    const auditQueue = logicalId(stack, stack.relay.destinations.audit!.queue);
    expect(queues).toContain(opsQueue);
    expect(queues).not.toContain(auditQueue);
    const statements = statementsOf(template, ingestId);
    const sendTo = resourcesFor(statements, 'sqs:SendMessage').join(' ');
    expect(sendTo).toContain(opsQueue);
    expect(sendTo).not.toContain(auditQueue);
  });

  it('grants item-level adds and reads on the table and nothing in bulk', () => {
    const statements = statementsOf(template, ingestId);
    for (const action of ['dynamodb:UpdateItem', 'dynamodb:BatchGetItem', 'dynamodb:GetItem', 'dynamodb:PutItem']) {
      expect(resourcesFor(statements, action).join(' ')).toContain(tableId);
    }
    for (const action of ['dynamodb:Scan', 'dynamodb:Query', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem']) {
      expect(resourcesFor(statements, action)).toEqual([]);
    }
  });

  it('keeps the counters to their window: the table expires items on expiresAt', () => {
    template.hasResourceProperties('AWS::DynamoDB::Table', {
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
    });
  });

  it("folds a firing domain's failures only on the notifiers that receive the rate alerts", () => {
    const variables = (name: string) =>
      template.toJSON().Resources[logicalId(stack, stack.relay.destinations[name]!.function)].Properties.Environment
        .Variables as Record<string, unknown>;
    expect(variables('ops')[NOTIFIER_ENV.rateInhibit.name]).toBe('true');
    expect(variables('audit')[NOTIFIER_ENV.rateInhibit.name]).toBeUndefined();
    const off = synth({ rates: { inhibit: false } });
    const opsId = logicalId(off.stack, off.stack.relay.destinations.ops!.function);
    expect(JSON.stringify(off.template.toJSON().Resources[opsId])).not.toContain(NOTIFIER_ENV.rateInhibit.name);
  });

  it('follows rates.to when set', () => {
    const other = synth({ rates: { to: ['audit'] } });
    const id = logicalId(other.stack, other.stack.relay.ingestFunction);
    const vars = other.template.toJSON().Resources[id].Properties.Environment.Variables as Record<string, unknown>;
    const queues = JSON.stringify(vars[INGEST_ENV.rateQueues.name]);
    expect(queues).toContain(logicalId(other.stack, other.stack.relay.destinations.audit!.queue));
    expect(queues).not.toContain(logicalId(other.stack, other.stack.relay.destinations.ops!.queue));
  });
});

describe('silences, deployed', () => {
  const { stack, template } = synth({});
  const tableId = logicalId(stack, stack.relay.dedupTable);

  it('every notifier reads them from the relay table (index item and silences) and counts what they hid', () => {
    for (const destination of Object.values(stack.relay.destinations)) {
      const statements = statementsOf(template, logicalId(stack, destination.function));
      for (const action of ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem']) {
        expect(resourcesFor(statements, action).join(' ')).toContain(tableId);
      }
      expect(resourcesFor(statements, 'dynamodb:Scan')).toEqual([]);
    }
  });

  it('the scheduled probe queues their end messages: it reads and marks them in the table', () => {
    const probeId = logicalId(stack, stack.relay.probeFunction!);
    const vars = template.toJSON().Resources[probeId].Properties.Environment.Variables as Record<string, unknown>;
    expect(vars[PROBE_ENV.silenceTable.name]).toEqual(ref(tableId));
    const statements = statementsOf(template, probeId);
    for (const action of ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:UpdateItem']) {
      expect(resourcesFor(statements, action).join(' ')).toContain(tableId);
    }
    expect(resourcesFor(statements, 'dynamodb:PutItem')).toEqual([]);
  });
});

describe('repeat-bounce advice, deployed', () => {
  it('every notifier is told the advice settings; without automation, no bus', () => {
    const { stack, template } = synth({ advice: { hardBounces: 4, window: '14d' } });
    for (const destination of Object.values(stack.relay.destinations)) {
      const id = logicalId(stack, destination.function);
      const vars = template.toJSON().Resources[id].Properties.Environment.Variables as Record<string, unknown>;
      expect(JSON.parse(vars[NOTIFIER_ENV.adviceSettings.name] as string)).toEqual({
        hardBounces: 4,
        windowMs: 14 * 86_400_000,
      });
      expect(vars[NOTIFIER_ENV.adviceBus.name]).toBeUndefined();
      expect(resourcesFor(statementsOf(template, id), 'events:PutEvents')).toEqual([]);
    }
  });

  it('with automation.eventBridge, notifiers may put RecipientSuppressionAdvised on the relay bus, and only there', () => {
    const { stack, template } = synth({ automation: { eventBridge: true } });
    const bus = stack.relay.record.automation!.bus;
    const busArn = JSON.stringify({ 'Fn::GetAtt': [logicalId(stack, bus), 'Arn'] });
    for (const destination of Object.values(stack.relay.destinations)) {
      const id = logicalId(stack, destination.function);
      const vars = template.toJSON().Resources[id].Properties.Environment.Variables as Record<string, unknown>;
      expect(vars[NOTIFIER_ENV.adviceBus.name]).toEqual(ref(logicalId(stack, bus)));
      expect(resourcesFor(statementsOf(template, id), 'events:PutEvents')).toEqual([busArn]);
    }
    expect(ADVICE_DETAIL_TYPE).toBe('RecipientSuppressionAdvised');
  });
});
