import { Duration } from 'aws-cdk-lib';
import { CfnStage, type HttpApi, HttpMethod, type HttpRoute } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { INTERACTIVITY_ENV } from '../../functions/aws';
import { INTERACTIVITY_OUTCOMES, INTERACTIVITY_PATH, REPLAY_TABLE_ACTIONS } from '../../functions/interactivity';
import { INTERACTIVITY_SERVICE, REASON_DIMENSION, SLACK_REQUESTS_METRIC } from '../../functions/observability';
import type { ArchiveAudit } from './archive-audit';
import type { RelayDestination } from './chat-destination';
import { acknowledgeInteractivityRoute } from '../nag-acknowledgments';
import { countAlarm } from './alarm-factory';
import { addEnvironment, environmentOf } from './function-env';
import { ALARM_PERIOD, relayMetric } from './metrics';
import type { RelayFunctionFactory } from './function-factory';
import { DEDUP_KEY_ACTIONS, type NotifierState } from './notifier-state';

/** The route's own throttle: people clicking buttons, far below the webhook route's. */
export const INTERACTIVITY_RATE_LIMIT = 5;
export const INTERACTIVITY_BURST_LIMIT = 10;
const INTERACTIVITY_TIMEOUT = Duration.seconds(10);

export interface SlackInteractivityProps {
  /** The webhook API: the route is served and throttled on its default stage. */
  readonly api: HttpApi;
  /** The deployed destinations that post as a Slack app (with a `channel`): only their secrets are granted. */
  readonly destinations: readonly RelayDestination[];
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
  readonly state: NotifierState;
  readonly key: kms.IKey;
  /** @default UTC */
  readonly timeZone?: string;
  /**
   * The archive's audit trail: each action's record is put on its stream as well as logged.
   * @default none: the records are only logged (a relay without an archive)
   */
  readonly audit?: ArchiveAudit;
}

/**
 * `POST /slack/interactivity`, Slack's interactivity URL for the buttons of app-mode alerts: a literal route with a
 * throttle of its own on the webhook API's stage, integrated with a small function that verifies each request's
 * signature (the signing secret is in each app-mode destination's secret, the only secrets it may read) before
 * anything else, refuses replays with a conditional write to the relay table, and acts (silences, rate alert
 * acknowledgements, `chat.update`). The webhook routes, their integration and their throttles are untouched.
 * Created in the relay's own scope (`InteractivityFunction`, `InteractivityRoute`).
 */
export class SlackInteractivity {
  public readonly fn: NodejsFunction;
  public readonly logGroup: logs.LogGroup;
  public readonly routes: HttpRoute[];
  /** What to paste as the Slack app's interactivity request URL. */
  public readonly url: string;
  /** Fires when the function fails (not when it refuses a request): clicks then show people an error in Slack. */
  public readonly errorsAlarm: cloudwatch.Alarm;
  /** Requests by outcome (acted, refused, ignored, failed), for the dashboard. */
  public readonly metrics: cloudwatch.IMetric[];

  constructor(scope: Construct, props: SlackInteractivityProps) {
    const created = props.functions.create(scope, 'InteractivityFunction', {
      entry: 'interactivity',
      description: "Verifies and acts on Slack's button clicks on app-mode alerts",
      roleDescription: 'Slack interactivity of the Paubox alert relay',
      logName: 'interactivity',
      memorySize: props.memorySize,
      timeout: INTERACTIVITY_TIMEOUT,
      environment: environmentOf(scope, INTERACTIVITY_ENV, {
        ...(props.timeZone !== undefined ? { timeZone: props.timeZone } : {}),
      }),
      invocation: 'api',
      concurrencyBound:
        `Bounded by its route's own throttle (${INTERACTIVITY_RATE_LIMIT} requests/s, burst ` +
        `${INTERACTIVITY_BURST_LIMIT}) and a 10 s timeout; a reservation would take from a fresh account's ` +
        'quota of 10.',
    });
    this.fn = created.fn;
    this.logGroup = created.logGroup;
    for (const destination of props.destinations) destination.secret.grantRead(this.fn);
    addEnvironment(this.fn, INTERACTIVITY_ENV, {
      destinations: Object.fromEntries(
        props.destinations.map((d) => [d.config.name, { secretArn: d.secret.secretArn, channel: d.config.channel! }]),
      ),
    });
    props.state.dedupTable.grant(this.fn, ...REPLAY_TABLE_ACTIONS);
    props.state.dedupTable.grantOnKey(this.fn, ...DEDUP_KEY_ACTIONS);
    addEnvironment(this.fn, INTERACTIVITY_ENV, { table: props.state.dedupTable.tableName });
    if (props.audit) {
      props.audit.grantPut(this.fn);
      addEnvironment(this.fn, INTERACTIVITY_ENV, { auditStream: props.audit.deliveryStream.deliveryStreamName });
    }

    this.url = `${props.api.apiEndpoint}${INTERACTIVITY_PATH}`;
    this.metrics = INTERACTIVITY_OUTCOMES.map((outcome) =>
      relayMetric(scope, SLACK_REQUESTS_METRIC, INTERACTIVITY_SERVICE, { [REASON_DIMENSION]: outcome }, 'Sum', outcome),
    );
    this.errorsAlarm = countAlarm(
      scope,
      'InteractivityErrorsAlarm',
      this.fn.metricErrors({ statistic: cloudwatch.Stats.SUM, period: ALARM_PERIOD }),
      "The Slack interactivity function failed: people clicking the alerts' buttons see an error in Slack and " +
        'nothing is done. See its log group (interactivity): a destination secret or the relay table it could not ' +
        'read.',
    );
    this.routes = props.api.addRoutes({
      path: INTERACTIVITY_PATH,
      methods: [HttpMethod.POST],
      integration: new HttpLambdaIntegration('InteractivityIntegration', this.fn),
    });
    for (const route of this.routes) acknowledgeInteractivityRoute(route.node.defaultChild!);
    const stage = props.api.defaultStage?.node.defaultChild;
    if (!(stage instanceof CfnStage)) throw new Error('HttpApi did not create its default stage');
    // `routeSettings` is untyped JSON, written to the template as is: CloudFormation's own (Pascal case) names.
    stage.routeSettings = {
      [`POST ${INTERACTIVITY_PATH}`]: {
        ThrottlingRateLimit: INTERACTIVITY_RATE_LIMIT,
        ThrottlingBurstLimit: INTERACTIVITY_BURST_LIMIT,
      },
    };
  }
}
