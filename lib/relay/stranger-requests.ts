import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { METRIC_NAMESPACE, RELAY_DIMENSION, REQUESTS_WITHOUT_TOKEN_METRIC } from '../../functions/observability';
import { relayIdOf } from './metrics';

/** The counting period of requests without a token. */
const PERIOD = Duration.minutes(5);
/** A flood, not a scanner passing by: 10 requests a second on average over each period… */
export const STRANGERS_PER_PERIOD = 3_000;
/** …for this many periods in a row (15 minutes). */
export const STRANGERS_PERIODS = 3;

/**
 * Requests without a valid token, counted quietly: API Gateway answers them 404 itself (no route matches), so they
 * reach no queue and no function. A metric filter on the access log counts them for the dashboard; an alarm fires
 * only on a sustained flood. Its notice (at most one a day, see functions/health/alarm-notice.ts) says that real
 * webhooks are unaffected and when to rotate the token. Created in the relay's scope (`RequestsWithoutTokenFilter`,
 * `RequestsWithoutTokenAlarm`).
 */
export class StrangerRequests {
  /** Requests answered 404 per 5 minutes. */
  public readonly metric: cloudwatch.IMetric;
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, accessLogGroup: logs.ILogGroup) {
    this.metric = new logs.MetricFilter(scope, 'RequestsWithoutTokenFilter', {
      logGroup: accessLogGroup,
      metricNamespace: METRIC_NAMESPACE,
      metricName: REQUESTS_WITHOUT_TOKEN_METRIC,
      filterPattern: logs.FilterPattern.stringValue('$.status', '=', '404'),
      metricValue: '1',
      dimensions: { [RELAY_DIMENSION]: '$.relay' },
    }).metric({
      statistic: cloudwatch.Stats.SUM,
      period: PERIOD,
      dimensionsMap: { [RELAY_DIMENSION]: relayIdOf(scope) },
    });
    this.alarm = new cloudwatch.Alarm(scope, 'RequestsWithoutTokenAlarm', {
      alarmDescription:
        `Someone is posting to the webhook hostname without the token: over ${STRANGERS_PER_PERIOD} requests per ` +
        `${PERIOD.toMinutes()} minutes for ${STRANGERS_PERIODS * PERIOD.toMinutes()} minutes, each answered 404 by ` +
        'API Gateway itself (no queue, no function, no chat). Real webhooks are unaffected: they carry the token ' +
        'and have a route and a throttle of their own. If the token may have leaked (the Paubox dashboard, a ' +
        'shared screen), rotate it: aws secretsmanager rotate-secret --secret-id <TokenSecretName>, then paste ' +
        'the new URL (npx paubox-relay webhook-url) into Paubox within the overlap.',
      metric: this.metric,
      threshold: STRANGERS_PER_PERIOD,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: STRANGERS_PERIODS,
      datapointsToAlarm: STRANGERS_PERIODS,
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
    });
  }
}
