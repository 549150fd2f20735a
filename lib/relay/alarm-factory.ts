/** The shapes of the relay's alarms: each fires on one period over its threshold. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

export interface RelayAlarmProps {
  /** A runbook: what went wrong and what to do, naming the command to run. */
  readonly description: string;
  readonly metric: cloudwatch.IMetric;
  readonly threshold: number;
  /** @default GREATER_THAN_OR_EQUAL_TO_THRESHOLD */
  readonly comparisonOperator?: cloudwatch.ComparisonOperator;
}

/** An alarm that fires on one period over its threshold; no data is no trouble. */
export function relayAlarm(scope: Construct, id: string, props: RelayAlarmProps): cloudwatch.Alarm {
  return new cloudwatch.Alarm(scope, id, {
    alarmDescription: props.description,
    metric: props.metric,
    threshold: props.threshold,
    comparisonOperator: props.comparisonOperator ?? cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
  });
}

/** An alarm that fires when a count reaches 1 within one period. */
export function countAlarm(
  scope: Construct,
  id: string,
  metric: cloudwatch.IMetric,
  description: string,
): cloudwatch.Alarm {
  return relayAlarm(scope, id, { description, metric, threshold: 1 });
}

/** An alarm that fires on the first message in a dead-letter queue. */
export function deadLettersAlarm(
  scope: Construct,
  id: string,
  deadLetterQueue: sqs.IQueue,
  description: string,
): cloudwatch.Alarm {
  const visible = deadLetterQueue.metricApproximateNumberOfMessagesVisible({
    statistic: cloudwatch.Stats.MAXIMUM,
    period: Duration.minutes(1),
  });
  return countAlarm(scope, id, visible, description);
}
