import { Duration } from 'aws-cdk-lib';
import type { HttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import type { NotifierMetric } from '../../functions/delivery';
import {
  DESTINATION_DIMENSION,
  END_TO_END_DELAY_METRIC,
  EVENT_TYPE_DIMENSION,
  INGEST_SERVICE,
  METRIC_NAMESPACE,
  RELAY_DIMENSION,
  NOTIFIER_SERVICE,
  REASON_DIMENSION,
} from '../../functions/observability';
import { EVENT_TYPES } from '../../functions/paubox';
import type { RelayDestination } from './chat-destination';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { ALARM_PERIOD, relayIdOf, relayMetric } from './metrics';

/** Outcome counts on each destination's dashboard graph; `DestinationBroken` has its own alarm. */
const OUTCOME_METRICS: readonly NotifierMetric[] = [
  'AlertsPosted',
  'AlertsUnconfirmed',
  'AlertsDeferred',
  'DeadLetters',
  'Duplicates',
  'DestinationBroken',
  'DigestEvents',
];

export interface RelayDashboardProps {
  readonly dashboardName: string;
  /** Shown first, by state. */
  readonly alarms: readonly cloudwatch.Alarm[];
  readonly api: HttpApi;
  readonly ingestFunction: lambda.IFunction;
  readonly ingestQueue: sqs.IQueue;
  readonly ingestDeadLetterQueue: sqs.IQueue;
  /** Requests API Gateway refused for want of a valid token, per 5 minutes. */
  readonly requestsWithoutToken: cloudwatch.IMetric;
  readonly destinations: Readonly<Record<string, RelayDestination>>;
  /** Drawn on each destination's delay graph. */
  readonly delayThreshold: Duration;
  /** The scheduled probe's verdict per destination (1 broken, 0 ok). */
  readonly probeMetrics?: readonly cloudwatch.IMetric[];
  /** Slack's button clicks by outcome; none without a destination in app mode. */
  readonly slackMetrics?: readonly cloudwatch.IMetric[];
}

const period = ALARM_PERIOD;
const sum = (metric: cloudwatch.Metric, label: string) =>
  metric.with({ statistic: cloudwatch.Stats.SUM, period, label });
const maximum = (label: string) => ({ statistic: cloudwatch.Stats.MAXIMUM, period, label });

/** One dashboard (construct id `Dashboard`): alarm states, then the webhook endpoint, then a row per destination. */
export function createRelayDashboard(scope: Construct, props: RelayDashboardProps): cloudwatch.Dashboard {
  const dashboard = new cloudwatch.Dashboard(scope, 'Dashboard', {
    dashboardName: props.dashboardName,
    defaultInterval: Duration.days(1),
  });
  dashboard.addWidgets(
    new cloudwatch.TextWidget({
      markdown:
        '# Paubox alert relay\nAlarms first; then the webhook endpoint; then one row per chat destination. ' +
        'Runbook: the README\'s "Operating the relay" (`npx paubox-relay --help`).',
      width: 24,
      height: 2,
    }),
    new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...props.alarms], width: 24, height: 4 }),
  );
  dashboard.addWidgets(...endpointWidgets(scope, props));
  if (props.probeMetrics && props.probeMetrics.length > 0) {
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Destination probe (1 = broken, 0 = ok; no point = not silently checkable or unknown)',
        left: [...props.probeMetrics],
        leftYAxis: { min: 0, max: 1 },
        width: 24,
      }),
    );
  }
  if (props.slackMetrics && props.slackMetrics.length > 0) {
    dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Slack buttons: interactivity requests (refused = 401: unsigned, stale, forged or replayed)',
        left: [...props.slackMetrics],
        width: 24,
      }),
    );
  }
  for (const [name, destination] of Object.entries(props.destinations)) {
    dashboard.addWidgets(...destinationWidgets(scope, name, destination, props.delayThreshold));
  }
  return dashboard;
}

function endpointWidgets(scope: Construct, props: RelayDashboardProps): cloudwatch.IWidget[] {
  const { api, ingestFunction, ingestQueue, ingestDeadLetterQueue } = props;
  return [
    new cloudwatch.GraphWidget({
      title: 'Webhooks accepted, by event type',
      left: EVENT_TYPES.map((type) =>
        relayMetric(
          scope,
          'EventsReceived',
          INGEST_SERVICE,
          { [EVENT_TYPE_DIMENSION]: type },
          cloudwatch.Stats.SUM,
          type,
        ),
      ),
      stacked: true,
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Webhooks rejected, by reason',
      // A search, so that every reason the ingest reports shows up without listing them here.
      left: [
        new cloudwatch.MathExpression({
          expression:
            `SEARCH('{${METRIC_NAMESPACE},${RELAY_DIMENSION},${REASON_DIMENSION},service} ` +
            `MetricName="WebhooksRejected" service="${INGEST_SERVICE}" ${RELAY_DIMENSION}="${relayIdOf(scope)}"', ` +
            `'Sum', ${period.toSeconds()})`,
          label: '',
          period,
        }),
      ],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Webhook endpoint',
      left: [
        sum(api.metricCount(), 'requests'),
        sum(api.metricClientError(), '4xx'),
        sum(api.metricServerError(), '5xx'),
        sum(ingestFunction.metricErrors(), 'consumer errors'),
      ],
      right: [ingestFunction.metricDuration({ statistic: cloudwatch.Stats.p(99), period, label: 'consumer p99 ms' })],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Ingest queue',
      left: [
        ingestQueue.metricApproximateNumberOfMessagesVisible(maximum('waiting')),
        ingestDeadLetterQueue.metricApproximateNumberOfMessagesVisible(maximum('quarantined or dead')),
      ],
      right: [ingestQueue.metricApproximateAgeOfOldestMessage(maximum('oldest (s)'))],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: 'Requests without the token (answered 404 by API Gateway: no queue, no function, no chat), per 5 min',
      left: [props.requestsWithoutToken],
      width: 24,
      height: 4,
    }),
  ];
}

function destinationWidgets(
  scope: Construct,
  name: string,
  destination: RelayDestination,
  delayThreshold: Duration,
): cloudwatch.IWidget[] {
  const dimensions = { [DESTINATION_DIMENSION]: name };
  const delay = (statistic: string) =>
    relayMetric(scope, END_TO_END_DELAY_METRIC, NOTIFIER_SERVICE, dimensions, statistic, `${statistic} ms`);
  return [
    new cloudwatch.GraphWidget({
      title: `${name}: alerts by outcome`,
      left: OUTCOME_METRICS.map((metric) =>
        relayMetric(scope, metric, NOTIFIER_SERVICE, dimensions, cloudwatch.Stats.SUM, metric),
      ),
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: `${name}: end-to-end delay (Paubox event → chat)`,
      left: [delay(cloudwatch.Stats.p(50)), delay(cloudwatch.Stats.p(90)), delay(cloudwatch.Stats.MAXIMUM)],
      leftAnnotations: [
        { value: delayThreshold.toMilliseconds(), label: 'alarm threshold', color: cloudwatch.Color.RED },
      ],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: `${name}: retries and queues`,
      left: [
        relayMetric(scope, 'Retries', NOTIFIER_SERVICE, dimensions, cloudwatch.Stats.SUM, 'retries'),
        relayMetric(scope, 'RateLimited', NOTIFIER_SERVICE, dimensions, cloudwatch.Stats.SUM, '429s'),
        destination.queue.metricApproximateNumberOfMessagesVisible(maximum('queued')),
        destination.deadLetterQueue.metricApproximateNumberOfMessagesVisible(maximum('dead letters')),
      ],
      right: [destination.queue.metricApproximateAgeOfOldestMessage(maximum('oldest (s)'))],
      width: 6,
    }),
    new cloudwatch.GraphWidget({
      title: `${name}: notifier function`,
      left: [
        sum(destination.function.metricInvocations(), 'invocations'),
        sum(destination.function.metricErrors(), 'errors'),
        sum(destination.function.metricThrottles(), 'throttles'),
      ],
      right: [destination.function.metricDuration({ statistic: cloudwatch.Stats.p(99), period, label: 'p99 ms' })],
      width: 6,
    }),
  ];
}
