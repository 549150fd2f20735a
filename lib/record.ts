import { Duration } from 'aws-cdk-lib';
import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct, IConstruct } from 'constructs';
import { recordDetail } from '../functions/config/record-config';
import type { RelayConfig } from '../functions/config/relay-config';
import { RelayArchive } from './archive';
import { RelayAutomation } from './automation';
import type { RecordFunctionFactory } from './record-functions';
import { RelayReports } from './reports';

/** What the relay hands the deliverability record. */
export interface DeliverabilityRecordProps {
  readonly config: RelayConfig;
  /** The relay topic by ARN, and the topic resource itself, which every subscription must wait for. */
  readonly topic: sns.ITopic;
  readonly topicResource: IConstruct;
  readonly key: kms.Key;
  readonly fingerprintSecret: secretsmanager.ISecret;
  readonly newFunction: RecordFunctionFactory;
  readonly logGroup: (scope: Construct, id: string, name: string) => logs.ILogGroup;
  /** The deployed destinations' queues, by name. */
  readonly queues: Readonly<Record<string, sqs.IQueue>>;
}

/** The parts of the record the configuration asked for. */
export interface DeliverabilityRecord {
  /** With `archive` in the configuration. */
  readonly archive?: RelayArchive;
  /** With `reports` in the configuration. */
  readonly reports?: RelayReports;
  /** With `automation.eventBridge`. */
  readonly automation?: RelayAutomation;
  readonly alarms: readonly cloudwatch.Alarm[];
}

const DLQ_RETENTION = Duration.days(14);

/** Adds the archive, the reports and the automation bus that the configuration asks for. */
export function addDeliverabilityRecord(scope: Construct, props: DeliverabilityRecordProps): DeliverabilityRecord {
  const { config } = props;
  let archive: RelayArchive | undefined;
  if (config.archive) {
    // SNS writes the dead letters of its deliveries to the stream into a queue encrypted with the relay key.
    props.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTopicToKeepArchiveDeadLetters',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': props.topic.topicArn } },
      }),
    );
    archive = new RelayArchive(scope, 'Archive', {
      config: config.archive,
      topic: props.topic,
      key: props.key,
      fingerprintSecret: props.fingerprintSecret,
      newFunction: props.newFunction,
      logGroup: props.logGroup(scope, 'ArchiveStreamLogs', 'archive-stream'),
      deadLetterRetention: DLQ_RETENTION,
    });
  }
  const reports =
    archive && config.reports && config.reports.length > 0
      ? new RelayReports(scope, 'Reports', {
          reports: config.reports,
          archive,
          key: props.key,
          queues: props.queues,
          newFunction: props.newFunction,
        })
      : undefined;
  const automation = config.automation?.eventBridge
    ? new RelayAutomation(scope, 'Automation', {
        topic: props.topic,
        key: props.key,
        fingerprintSecret: props.fingerprintSecret,
        detail: recordDetail(config),
        newFunction: props.newFunction,
        deadLetterRetention: DLQ_RETENTION,
      })
    : undefined;
  // Subscriptions to the topic by ARN would otherwise be created before the topic.
  for (const part of [archive, automation]) part?.subscription.node.addDependency(props.topicResource);
  return {
    ...(archive ? { archive } : {}),
    ...(reports ? { reports } : {}),
    ...(automation ? { automation } : {}),
    alarms: [...(archive?.alarms ?? []), ...(reports?.alarms ?? []), ...(automation?.alarms ?? [])],
  };
}
