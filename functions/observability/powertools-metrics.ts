import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRIC_NAMESPACE, RELAY_DIMENSION, unitOf } from './metric-names';

/**
 * A handler's Powertools Metrics: the relay's namespace, its `service`, and the relay's id as a default dimension
 * of every data point (single metrics included), so that two relays in one account never mix their figures.
 */
export function relayMetrics(
  serviceName: string,
  relayId: string,
  dimensions: Readonly<Record<string, string>> = {},
): Metrics {
  return new Metrics({
    namespace: METRIC_NAMESPACE,
    serviceName,
    defaultDimensions: { [RELAY_DIMENSION]: relayId, ...dimensions },
  });
}

/** Extra dimensions of one data point; only the bounded ones of `metric-names.ts`. */
export type MetricDimensions = Readonly<Partial<Record<'EventType' | 'Reason', string>>>;

/**
 * The relay's `metric(name, value)` callback on top of Powertools Metrics. Plain counts are buffered and
 * flushed once per invocation (`publishStoredMetrics`); a data point with its own dimension is written at once
 * as a single metric, so that the dimension does not spread to the invocation's other metrics.
 */
export function powertoolsMetric(
  metrics: Metrics,
): (name: string, value: number, dimensions?: MetricDimensions) => void {
  return (name, value, dimensions) => {
    const entries = Object.entries(dimensions ?? {}).filter((e): e is [string, string] => e[1] !== undefined);
    if (entries.length === 0) {
      metrics.addMetric(name, unitOf(name), value);
      return;
    }
    const single = metrics.singleMetric();
    for (const [dimension, dimensionValue] of entries) single.addDimension(dimension, dimensionValue);
    single.addMetric(name, unitOf(name), value);
  };
}

/** Writes the invocation's buffered metrics, if any (Powertools warns on an empty flush). */
export function flushMetrics(metrics: Metrics): void {
  if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
}
