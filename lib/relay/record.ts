import type * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { recordDetail, type RelayConfig } from '../../functions/config';
import { RelayArchive } from './archive';
import { RelayAutomation } from './automation';
import type { RelayEncryption } from './encryption';
import type { EventTopic } from './event-topic';
import type { RelayFunctionFactory } from './function-factory';
import { SQS_MAX_RETENTION } from './queue-factory';
import { RelayReports } from './reports';

/** What the relay hands the deliverability record. */
export interface DeliverabilityRecordProps {
  readonly config: RelayConfig;
  readonly events: EventTopic;
  readonly encryption: RelayEncryption;
  readonly fingerprintSecret: secretsmanager.ISecret;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
  readonly logRetention: logs.RetentionDays;
  /** The deployed destinations' queues, by name: report cards travel them. */
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
  /** Their alarms, which join the relay's (and get its alarm actions). */
  readonly alarms: readonly cloudwatch.Alarm[];
}

/** Adds the archive, the reports and the automation bus that the configuration asks for. */
export function addDeliverabilityRecord(scope: Construct, props: DeliverabilityRecordProps): DeliverabilityRecord {
  const { config, encryption, functions, memorySize } = props;
  const { key } = encryption;
  let archive: RelayArchive | undefined;
  if (config.archive) {
    // SNS keeps the dead letters of its deliveries to the stream in a queue encrypted with the relay key.
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowTopicToKeepArchiveDeadLetters',
        principals: [new iam.ServicePrincipal('sns.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        resources: ['*'],
        conditions: { ArnEquals: { 'aws:SourceArn': props.events.topicArn } },
      }),
    );
    archive = new RelayArchive(scope, 'Archive', {
      config: config.archive,
      events: props.events,
      key,
      fingerprintSecret: props.fingerprintSecret,
      functions,
      memorySize,
      logGroup: encryption.logGroup(scope, 'ArchiveStreamLogs', 'archive-stream', props.logRetention),
      deadLetterRetention: SQS_MAX_RETENTION,
    });
  }
  const reports =
    archive && config.reports && config.reports.length > 0
      ? new RelayReports(scope, 'Reports', {
          reports: config.reports,
          archive,
          key,
          queues: props.queues,
          functions,
          memorySize,
        })
      : undefined;
  const automation = config.automation?.eventBridge
    ? new RelayAutomation(scope, 'Automation', {
        events: props.events,
        key,
        fingerprintSecret: props.fingerprintSecret,
        detail: recordDetail(config),
        functions,
        memorySize,
      })
    : undefined;
  return {
    ...(archive ? { archive } : {}),
    ...(reports ? { reports } : {}),
    ...(automation ? { automation } : {}),
    alarms: [...(archive?.alarms ?? []), ...(reports?.alarms ?? []), ...(automation?.alarms ?? [])],
  };
}
