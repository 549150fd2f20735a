/** The relay's own metrics, as its alarms and its dashboard read them. */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type { IConstruct } from 'constructs';
import { METRIC_NAMESPACE, RELAY_DIMENSION } from '../../functions/observability';

/** Period of the relay's alarms and dashboard graphs. */
export const ALARM_PERIOD = Duration.minutes(5);

const RELAY_IDS = new WeakMap<IConstruct, string>();

/** Makes `id` the `Relay` dimension of every metric of `relay` and of the parts in its scope. */
export function setRelayId(relay: IConstruct, id: string): void {
  RELAY_IDS.set(relay, id);
}

/** `<stack name>/<the relay's path in the stack>`: unique within an account and region. */
export function defaultRelayId(relay: IConstruct): string {
  const stack = Stack.of(relay);
  return `${stack.stackName}/${relay.node.path.slice(stack.node.path.length + 1)}`;
}

/** The `Relay` dimension of the relay `scope` belongs to. */
export function relayIdOf(scope: IConstruct): string {
  for (const s of [...scope.node.scopes].reverse()) {
    const id = RELAY_IDS.get(s);
    if (id !== undefined) return id;
  }
  throw new Error(`${scope.node.path} is not inside a PauboxAlertRelay`);
}

/**
 * One of the relay's own metrics. The `service` dimension is the one Powertools Metrics adds to every metric; the
 * `Relay` dimension (every handler's default dimension) keeps two relays in one account apart.
 */
export function relayMetric(
  scope: IConstruct,
  metricName: string,
  service: string,
  dimensions: Readonly<Record<string, string>>,
  statistic: string = cloudwatch.Stats.SUM,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service, [RELAY_DIMENSION]: relayIdOf(scope), ...dimensions },
    statistic,
    period: ALARM_PERIOD,
    ...(label !== undefined ? { label } : {}),
  });
}
