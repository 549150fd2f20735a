import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { parseRelayConfig, type RelayConfig } from '../../functions/config';
import { PauboxAlertRelay } from '../../lib';
import { projectApp, type Json } from './template-helpers';

/*
 * Two relays in one account and region (here: one stack, the closest case), each with a destination named `alerts`
 * and the whole deliverability record: no alarm of one reads a metric the other writes.
 */

const config = (relayId?: string): RelayConfig =>
  parseRelayConfig(
    {
      destinations: [{ name: 'alerts', kind: 'slack' }],
      routes: [{ events: ['permanent_failure'], to: ['alerts'] }],
      archive: {},
      ...(relayId ? { relayId } : {}),
    },
    'deploy',
  );

interface Alarm {
  readonly Namespace?: string;
  readonly MetricName?: string;
  readonly Dimensions?: readonly { Name: string; Value: unknown }[];
  readonly Metrics?: unknown;
}

/** Each alarm's metric as namespace, name and dimension set (values resolved as the template writes them). */
function metricSets(template: Template, prefix: string): string[] {
  const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Alarm }>;
  return Object.entries(resources)
    .filter(([id, r]) => r.Type === 'AWS::CloudWatch::Alarm' && id.startsWith(prefix))
    .flatMap(([, { Properties: p }]) => {
      // A metric-math alarm reads each of its metrics.
      const metrics = p.Metrics
        ? (p.Metrics as { MetricStat?: { Metric: Alarm } }[]).flatMap((m) =>
            m.MetricStat ? [m.MetricStat.Metric] : [],
          )
        : [p];
      return metrics.map((m) => {
        const dimensions = [...(m.Dimensions ?? [])].sort((a, b) => a.Name.localeCompare(b.Name));
        return JSON.stringify([m.Namespace, m.MetricName, dimensions]);
      });
    });
}

describe('two relays in one account', () => {
  const stack = new Stack(projectApp(), 'Shared');
  const staging = new PauboxAlertRelay(stack, 'Staging', { config: config() });
  const production = new PauboxAlertRelay(stack, 'Production', { config: config('clinic-production') });
  const template = Template.fromStack(stack);

  test('have no metric dimension set in common across their alarms', () => {
    const a = metricSets(template, 'Staging');
    const b = metricSets(template, 'Production');
    expect(a.length).toBeGreaterThan(10);
    expect(b).toHaveLength(a.length);
    expect(a.filter((set) => b.includes(set))).toEqual([]);
  });

  test("every alarm on the relay's own namespace carries its Relay dimension", () => {
    expect(staging.relayId).toBe('Shared/Staging');
    expect(production.relayId).toBe('clinic-production');
    for (const [prefix, relayId] of [
      ['Staging', 'Shared/Staging'],
      ['Production', 'clinic-production'],
    ] as const) {
      const own = metricSets(template, prefix)
        .map((s) => JSON.parse(s) as [string, string, { Name: string; Value: unknown }[]])
        .filter(([namespace]) => namespace === 'PauboxAlertRelay');
      // WebhooksThrottled, RequestsWithoutToken, DestinationBroken, EndToEndDelay, DestinationProbeBroken, ArchiveRecordsDropped
      expect(new Set(own.map(([, name]) => name)).size).toBeGreaterThanOrEqual(5);
      for (const [, name, dimensions] of own) {
        expect([name, dimensions.find((d) => d.Name === 'Relay')?.Value]).toEqual([name, relayId]);
      }
    }
  });

  test("the access log writes the relay's id, which the throttle count takes as its dimension", () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
    const filters = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Logs::MetricFilter');
    expect(filters.length).toBeGreaterThanOrEqual(2);
    for (const [, filter] of filters) {
      const transformation = (filter.Properties.MetricTransformations as Json[])[0]!;
      expect(transformation.Dimensions).toEqual([{ Key: 'Relay', Value: '$.relay' }]);
    }
    const stages = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Stage');
    const relays = stages.map(
      ([, s]) => JSON.parse((s.Properties.AccessLogSettings as { Format: string }).Format).relay,
    );
    expect(relays.sort()).toEqual(['Shared/Staging', 'clinic-production']);
  });

  test('every function is told its relay id, the default dimension of its metrics', () => {
    const resources = template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>;
    const functions = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::Lambda::Function');
    for (const [id, fn] of functions) {
      const variables = (fn.Properties.Environment as { Variables: Json } | undefined)?.Variables ?? {};
      expect([id, variables.RELAY_ID]).toEqual([id, id.startsWith('Staging') ? 'Shared/Staging' : 'clinic-production']);
    }
  });
});
