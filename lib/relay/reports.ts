import { Duration, Stack, TimeZone } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { ReportConfig } from '../../functions/config';
import { QUERY_NAMES, type QueryName } from '../../functions/reports';
import { acknowledgeReportRole, acknowledgeSchedulerRole } from '../record-acknowledgments';
import { countAlarm } from './alarm-factory';
import type { RelayArchive } from './archive';
import type { RelayFunctionFactory } from './function-factory';
import { grantSend } from './queue-factory';
import { type NamedQuery, SEND_REPORT_ENV } from '../../functions/aws';
import { environmentOf } from './function-env';

/** Properties of {@link RelayReports}. */
export interface RelayReportsProps {
  readonly reports: readonly ReportConfig[];
  readonly archive: RelayArchive;
  readonly key: kms.IKey;
  /** The deployed destinations' queues, by name: a report card travels its destination's own queue. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
}

/** The cron of a report: every day, or Mondays, at `at` in its time zone. */
export function reportCron(report: ReportConfig): scheduler.ScheduleExpression {
  const [hour, minute] = report.at.split(':');
  return scheduler.ScheduleExpression.cron({
    minute: String(Number(minute)),
    hour: String(Number(hour)),
    ...(report.every === 'week' ? { weekDay: 'MON' } : {}),
    timeZone: TimeZone.of(report.timeZone),
  });
}

/**
 * Scheduled deliverability reports: one EventBridge Scheduler schedule per configured report runs the report
 * function, which runs the saved queries on Athena and queues the summary to each destination's queue.
 */
export class RelayReports extends Construct {
  public readonly function: NodejsFunction;
  public readonly schedules: readonly scheduler.Schedule[];
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RelayReportsProps) {
    super(scope, id);
    const { archive } = props;
    const named = Object.fromEntries(
      QUERY_NAMES.map((name) => [
        name,
        {
          id: archive.catalog.namedQueries[name].query.attrNamedQueryId,
          parameters: archive.catalog.namedQueries[name].form.parameters,
        },
      ]),
    ) as Record<QueryName, NamedQuery>;
    const targets = [...new Set(props.reports.flatMap((r) => r.to))];
    const missing = targets.filter((name) => props.queues[name] === undefined);
    if (missing.length > 0) {
      throw new Error(
        `reports name destinations that are not deployed (${missing.join(', ')}); route events to them or remove them`,
      );
    }
    const created = props.functions.create(this, 'Function', {
      entry: 'sendReport',
      description: 'Runs the deliverability queries on Athena and queues the summary card to each destination',
      roleDescription: 'Report function of the Paubox alert relay',
      logName: 'report',
      memorySize: props.memorySize,
      invocation: 'schedule',
      concurrencyBound:
        'Runs once per configured report schedule (daily or weekly): its concurrency is the number of schedules.',
      timeout: Duration.minutes(11),
      environment: environmentOf(this, SEND_REPORT_ENV, {
        workgroup: archive.catalog.workgroup.name,
        database: archive.catalog.databaseName,
        namedQueries: named,
        queues: Object.fromEntries(targets.map((name) => [name, props.queues[name]!.queueUrl])),
      }),
    });
    this.function = created.fn;
    acknowledgeReportRole(created.role, archive.bucket);
    const schedulerRole = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
      description: 'Lets the deliverability report schedules run the report function',
    });
    acknowledgeSchedulerRole(schedulerRole, this.function);
    archive.grantQuery(this.function, props.key);
    for (const name of targets) grantSend(props.queues[name]!, this.function, props.key);

    this.schedules = props.reports.map(
      (report, i) =>
        new scheduler.Schedule(this, `Schedule${i}`, {
          description: `Posts the ${report.every === 'day' ? 'daily' : 'weekly'} deliverability report to ${report.to.join(', ')}`,
          schedule: reportCron(report),
          target: new LambdaInvoke(this.function, {
            input: scheduler.ScheduleTargetInput.fromObject({
              every: report.every,
              to: report.to,
              ...(report.header !== undefined ? { header: report.header } : {}),
              scheduledTime: scheduler.ContextAttribute.scheduledTime,
            }),
            role: schedulerRole,
            retryAttempts: 3,
            maxEventAge: Duration.hours(2),
          }),
        }),
    );
    this.alarms = [
      countAlarm(
        this,
        'ErrorsAlarm',
        this.function.metricErrors({ statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5) }),
        'The report function failed (see its log group): a scheduled deliverability report was not queued. ' +
          'Run it by hand with `npx paubox-relay report --post <destination>`.',
      ),
    ];
  }
}
