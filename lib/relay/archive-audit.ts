import { Duration, Size } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as glue from 'aws-cdk-lib/aws-glue';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { AUDIT_FAILED_METRIC, INTERACTIVITY_SERVICE } from '../../functions/observability';
import { acknowledgeArchiveStreamRoles } from '../record-acknowledgments';
import { relayAlarm } from './alarm-factory';
import type { RelayArchive } from './archive';
import { AUDIT_PREFIX, dayTable, ERRORS_PREFIX } from './archive-catalog';
import type { RelayEncryption } from './encryption';
import { relayMetric } from './metrics';

/** The Glue table's name: `SELECT … FROM audit`. */
export const AUDIT_TABLE = 'audit';

/** The audit table's columns, as `functions/archive/audit-record.ts` writes them. */
const COLUMNS: readonly glue.CfnTable.ColumnProperty[] = [
  { name: 'audit', type: 'string', comment: 'always chat_action' },
  { name: 'action', type: 'string', comment: 'acknowledge, muteRecipient, muteSenderDomain, undoSilence' },
  { name: 'by', type: 'string', comment: 'the Slack user id of whoever clicked' },
  { name: 'team', type: 'string' },
  { name: 'destination', type: 'string' },
  { name: 'at', type: 'string', comment: 'ISO 8601 UTC' },
  { name: 'message_key', type: 'string' },
  { name: 'sender_domain', type: 'string' },
  { name: 'fingerprint', type: 'string', comment: 'a recipient fingerprint, never an address' },
  { name: 'silence_id', type: 'string' },
  { name: 'until', type: 'string', comment: 'when the silence a mute created ends' },
  { name: 'changed', type: 'boolean' },
];

export interface ArchiveAuditProps {
  /** The archive whose bucket, key and Glue database the audit trail shares. */
  readonly archive: RelayArchive;
  /** The relay key (the stream and the objects are encrypted with it) and its log groups. */
  readonly encryption: RelayEncryption;
  /** How long the stream's error log group keeps its lines. */
  readonly logRetention: logs.RetentionDays;
}

/**
 * What people did from chat (Slack's Acknowledge, Mute, Undo), kept in the archive bucket beside the events: a
 * Firehose stream of its own (the records carry no PHI, so no transformation) writes one JSON line per action under
 * `audit/dt=YYYY-MM-DD/`, a prefix the `events` table does not read, with the archive's key and retention; a Glue
 * table `audit` in the archive's database reads it by day. Created in the archive's scope (`Audit`).
 */
export class ArchiveAudit extends Construct {
  public readonly deliveryStream: firehose.DeliveryStream;
  public readonly table: glue.CfnTable;
  /** Fires when an action's record did not reach the stream, or the stream could not write to the bucket. */
  public readonly alarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, { archive, encryption, logRetention }: ArchiveAuditProps) {
    super(scope, id);
    const { bucket } = archive;
    const { key } = encryption;
    const logGroup = encryption.logGroup(this, 'StreamLogs', 'audit-stream', logRetention);
    this.deliveryStream = new firehose.DeliveryStream(this, 'DeliveryStream', {
      encryption: firehose.StreamEncryption.customerManagedKey(key),
      destination: new firehose.S3Bucket(bucket, {
        dataOutputPrefix: `${AUDIT_PREFIX}dt=!{timestamp:yyyy-MM-dd}/`,
        errorOutputPrefix: `${ERRORS_PREFIX}audit/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
        // Clicks are few: one object per 5 minutes holds them all, and a report waits no longer than for events.
        bufferingInterval: Duration.minutes(5),
        bufferingSize: Size.mebibytes(5),
        compression: firehose.Compression.GZIP,
        encryptionKey: key,
        loggingConfig: new firehose.EnableLogging(logGroup),
      }),
    });
    acknowledgeArchiveStreamRoles(this.deliveryStream, { bucket });

    this.table = dayTable(this, 'Table', {
      databaseName: archive.catalog.databaseName,
      name: AUDIT_TABLE,
      description: 'Every acknowledgement, mute and undo from Slack: who (Slack user id), what, when; no PHI',
      location: `s3://${bucket.bucketName}/${AUDIT_PREFIX}`,
      columns: COLUMNS,
      dayComment: 'UTC day the action was archived',
    });
    this.table.node.addDependency(archive.catalog.database);

    const period = Duration.minutes(5);
    this.alarm = relayAlarm(this, 'Alarm', {
      description:
        'A Slack action (acknowledge, mute, undo) was done but its audit record is not in the archive: the ' +
        'interactivity function could not put it on the audit stream (its log group, interactivity, says which ' +
        "action and the error's name; its `chat action` line still holds the record), or the stream could not " +
        "write to the bucket (the stream's error log group, audit-stream). Check the stream and the relay key.",
      metric: new cloudwatch.MathExpression({
        // No data is no trouble: a quiet stream reports no deliveries, and no click fails.
        expression: 'FILL(failed, 0) + IF(FILL(delivery, 1) < 1, 1, 0)',
        usingMetrics: {
          failed: relayMetric(this, AUDIT_FAILED_METRIC, INTERACTIVITY_SERVICE, {}).with({ period }),
          delivery: this.deliveryStream.metric('DeliveryToS3.Success', { statistic: cloudwatch.Stats.MINIMUM, period }),
        },
        period,
      }),
      threshold: 1,
    });
  }

  /** Lets the interactivity function put records on the stream, and nothing else of it. */
  grantPut(grantee: iam.IGrantable): void {
    this.deliveryStream.grant(grantee, 'firehose:PutRecord');
  }
}
