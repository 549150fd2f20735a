/** The relay's own metrics, as its alarms and its dashboard read them. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { METRIC_NAMESPACE } from '../../functions/observability';

/** Period of the relay's alarms and dashboard graphs. */
export const ALARM_PERIOD = Duration.minutes(5);

/** One of the relay's own metrics; the `service` dimension is the one Powertools Metrics adds to every metric. */
export function relayMetric(
  metricName: string,
  service: string,
  dimensions: Readonly<Record<string, string>>,
  statistic: string = cloudwatch.Stats.SUM,
  label?: string,
): cloudwatch.Metric {
  return new cloudwatch.Metric({
    namespace: METRIC_NAMESPACE,
    metricName,
    dimensionsMap: { service, ...dimensions },
    statistic,
    period: ALARM_PERIOD,
    ...(label !== undefined ? { label } : {}),
  });
}
