import { CfnMapping, Duration, Size, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as iam from 'aws-cdk-lib/aws-iam';
import * as firehose from 'aws-cdk-lib/aws-kinesisfirehose';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type { NodejsFunction } from 'aws-cdk-lib/aws-lambda-nodejs';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type { Subscription } from 'aws-cdk-lib/aws-sns';
import { FirehoseSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { ArchiveConfig } from '../../functions/config';
import { ARCHIVE_DROPPED_METRIC, ARCHIVE_SERVICE } from '../../functions/observability';
import {
  acknowledgeArchiveBucket,
  acknowledgeArchiveStreamRoles,
  acknowledgeSubscriptionDeadLetterQueue,
} from '../record-acknowledgments';
import { deadLettersAlarm, relayAlarm } from './alarm-factory';
import { relayMetric } from './metrics';
import { ARCHIVE_PREFIX, ArchiveCatalog, AUDIT_PREFIX, ERRORS_PREFIX, RESULTS_PREFIX } from './archive-catalog';
import type { EventTopic } from './event-topic';
import type { RelayFunctionFactory } from './function-factory';
import { ARCHIVE_TRANSFORM_ENV } from '../../functions/aws';
import { environmentOf } from './function-env';

/** Properties of {@link RelayArchive}. */
export interface RelayArchiveProps {
  /** The archive's detail level and retention, resolved by `parseRelayConfig`. */
  readonly config: ArchiveConfig;
  /** The relay topic; the archive subscribes to every event on it. */
  readonly events: EventTopic;
  /** The relay key: the stream, the bucket, the query results and the dead-letter queue are encrypted with it. */
  readonly key: kms.IKey;
  /** The key of recipient fingerprints, so that archived fingerprints match those in alerts. */
  readonly fingerprintSecret: secretsmanager.ISecret;
  readonly functions: RelayFunctionFactory;
  readonly memorySize: number;
  /** The stream's error log group, under the relay's prefix (so the key may encrypt it). */
  readonly logGroup: logs.ILogGroup;
  /** Dead letters of the topic's deliveries to the stream are kept this long. */
  readonly deadLetterRetention: Duration;
}

/** Query results are for reading once; the lines themselves follow `retentionDays`. */
const RESULTS_RETENTION = Duration.days(7);

/**
 * Every event on the relay topic, kept as one JSON line at the archive's detail level: the topic delivers to a
 * Firehose stream, whose transformation function reduces each event before anything is written (a raw delivery
 * would store every address, subject and header), into a bucket encrypted with the relay key, one prefix per day
 * (`archive/dt=YYYY-MM-DD/`). A Glue table with partition projection reads the days without a crawler, and an
 * Athena workgroup with encrypted results and a scan limit runs the saved queries.
 */
export class RelayArchive extends Construct {
  public readonly bucket: s3.Bucket;
  public readonly deliveryStream: firehose.DeliveryStream;
  /** Reduces each event to the archive's detail level. */
  public readonly transformFunction: NodejsFunction;
  /** Keeps the events the topic could not hand to the stream. */
  public readonly deadLetterQueue: sqs.Queue;
  /** The topic's subscription that feeds it every event. */
  public readonly subscription: Subscription;
  /** The Glue table over the lines, the Athena workgroup and the saved queries. */
  public readonly catalog: ArchiveCatalog;
  /** Fire on events that could not be archived. */
  public readonly alarms: readonly cloudwatch.Alarm[];

  constructor(scope: Construct, id: string, props: RelayArchiveProps) {
    super(scope, id);
    const { config, key } = props;

    this.bucket = new s3.Bucket(this, 'Bucket', {
      encryption: s3.BucketEncryption.KMS,
      encryptionKey: key,
      // One data key per bucket rather than per object: far fewer KMS requests for many small objects.
      bucketKeyEnabled: true,
      enforceSSL: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      objectOwnership: s3.ObjectOwnership.BUCKET_OWNER_ENFORCED,
      versioned: true,
      lifecycleRules: [
        { id: 'ArchiveRetention', prefix: ARCHIVE_PREFIX, expiration: Duration.days(config.retentionDays) },
        // What people did from chat (ArchiveAudit), kept as long as the events it is about.
        { id: 'AuditRetention', prefix: AUDIT_PREFIX, expiration: Duration.days(config.retentionDays) },
        { id: 'ErrorsRetention', prefix: ERRORS_PREFIX, expiration: Duration.days(config.retentionDays) },
        { id: 'QueryResults', prefix: RESULTS_PREFIX, expiration: RESULTS_RETENTION },
        // Versions exist only to undo a mistaken delete or overwrite; they do not outlive a day's notice.
        {
          id: 'OldVersions',
          noncurrentVersionExpiration: Duration.days(1),
          abortIncompleteMultipartUploadAfter: Duration.days(1),
        },
      ],
    });
    acknowledgeArchiveBucket(this.bucket.node.defaultChild!);

    this.transformFunction = props.functions.create(this, 'TransformFunction', {
      entry: 'archiveTransform',
      description: 'Reduces each relayed Paubox event to the archive detail level before Firehose writes it',
      roleDescription: 'Archive transformation of the Paubox alert relay',
      logName: 'archive-transform',
      memorySize: props.memorySize,
      timeout: Duration.minutes(1),
      environment: environmentOf(this, ARCHIVE_TRANSFORM_ENV, {
        detail: config.detail,
        fingerprintSecretArn: props.fingerprintSecret.secretArn,
      }),
      invocation: 'firehose',
      concurrencyBound:
        'Bounded by the delivery stream, which invokes its transformation one buffer (1 MiB or 60 s) at a time ' +
        "per shard of throughput; a reservation would take from a fresh account's quota of 10 and fail the deploy.",
    }).fn;
    props.fingerprintSecret.grantRead(this.transformFunction);

    this.deliveryStream = new firehose.DeliveryStream(this, 'DeliveryStream', {
      encryption: firehose.StreamEncryption.customerManagedKey(key),
      destination: new firehose.S3Bucket(this.bucket, {
        dataOutputPrefix: `${ARCHIVE_PREFIX}dt=!{timestamp:yyyy-MM-dd}/`,
        errorOutputPrefix: `${ERRORS_PREFIX}!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/`,
        // One object per 5 minutes or 64 MiB: few objects for Athena to open, a short wait for a report.
        bufferingInterval: Duration.minutes(5),
        bufferingSize: Size.mebibytes(64),
        compression: firehose.Compression.GZIP,
        encryptionKey: key,
        loggingConfig: new firehose.EnableLogging(props.logGroup),
        processors: [
          new firehose.LambdaFunctionProcessor(this.transformFunction, {
            bufferInterval: Duration.minutes(1),
            bufferSize: Size.mebibytes(1),
            retries: 5,
          }),
        ],
      }),
    });

    // The stream adds Firehose's CIDR blocks as a stack mapping, read only by `connections` (for destinations in a
    // VPC); nothing here reads it, and an unread mapping is a template warning.
    for (const child of Stack.of(this).node.children) {
      if (child instanceof CfnMapping && child.node.id.includes('kinesisfirehose.CidrBlocks'))
        Stack.of(this).node.tryRemoveChild(child.node.id);
    }

    this.deadLetterQueue = new sqs.Queue(this, 'DeadLetterQueue', {
      encryption: sqs.QueueEncryption.KMS,
      encryptionMasterKey: key,
      enforceSSL: true,
      retentionPeriod: props.deadLetterRetention,
    });
    acknowledgeSubscriptionDeadLetterQueue(this.deadLetterQueue);
    this.subscription = props.events.subscribeAll(
      new FirehoseSubscription(this.deliveryStream, {
        rawMessageDelivery: true,
        deadLetterQueue: this.deadLetterQueue,
      }),
    );
    acknowledgeArchiveStreamRoles(this.deliveryStream, { bucket: this.bucket, transform: this.transformFunction });

    this.catalog = new ArchiveCatalog(this, { bucket: this.bucket, key, detail: config.detail });

    const period = Duration.minutes(5);
    this.alarms = [
      deadLettersAlarm(
        this,
        'DeadLettersAlarm',
        this.deadLetterQueue,
        'Events the topic could not hand to the archive stream are in the archive dead-letter queue (they hold the ' +
          "full event): look at the stream's throttling and its key. They are not in the archive; read them with " +
          `\`aws sqs receive-message --queue-url ${this.deadLetterQueue.queueUrl}\` before they expire (14 days).`,
      ),
      relayAlarm(this, 'TransformAlarm', {
        description:
          'The archive transformation failed, so Firehose wrote events as published (full detail) under ' +
          `s3://<archive bucket>/${ERRORS_PREFIX}processing-failed/, or the stream failed to write to S3. See the ` +
          "transformation function's logs and the stream's error log group; the objects expire with the archive.",
        metric: new cloudwatch.MathExpression({
          expression: 'processing + delivery',
          usingMetrics: {
            processing: this.deliveryStream.metric('ExecuteProcessing.Success', {
              statistic: cloudwatch.Stats.MINIMUM,
              period,
            }),
            delivery: this.deliveryStream.metric('DeliveryToS3.Success', {
              statistic: cloudwatch.Stats.MINIMUM,
              period,
            }),
          },
          period,
        }),
        threshold: 2,
        comparisonOperator: cloudwatch.ComparisonOperator.LESS_THAN_THRESHOLD,
      }),
      relayAlarm(this, 'DroppedAlarm', {
        description:
          'The archive transformation received records that are not relay events and left them out; only the ' +
          'ingest consumer should publish to the relay topic. Check who else may publish to it.',
        metric: relayMetric(this, ARCHIVE_DROPPED_METRIC, ARCHIVE_SERVICE, {}).with({ period }),
        threshold: 1,
      }),
    ];
  }

  /** Lets a function run the saved queries in the workgroup and read their results. */
  grantQuery(grantee: iam.IGrantable, key: kms.IKey): void {
    this.catalog.grantQuery(grantee, key);
  }
}
