/**
 * The cdk-nag findings the deliverability record acknowledges, each on the one resource it concerns, with the
 * reason it does not apply. As in `nag-acknowledgments.ts`, everything else the packs check is fixed in the
 * constructs.
 */
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

function acknowledge(scope: IConstruct, acknowledgments: Readonly<Record<string, string>>): void {
  Validations.of(scope).acknowledge(...Object.entries(acknowledgments).map(([id, reason]) => ({ id, reason })));
}

export function acknowledgeArchiveBucket(bucket: IConstruct): void {
  acknowledge(bucket, {
    'AwsSolutions-S1':
      'Objects are written only by the archive stream and read only through the Athena workgroup; object-level ' +
      'access is audited with CloudTrail S3 data events, which an access-log bucket would duplicate as a second ' +
      'store of request metadata to protect.',
    'HIPAA.Security-S3BucketLoggingEnabled':
      'Object-level access is audited with CloudTrail S3 data events (see AwsSolutions-S1 on this bucket); the ' +
      'bucket is KMS-encrypted with the relay key, TLS-only and blocks all public access.',
    'HIPAA.Security-S3BucketReplicationEnabled':
      'The archive is a derived, reproducible record of relayed events with a configured retention; versioning ' +
      'guards against mistaken deletes, and a replica in another region would be a second PHI store to manage.',
  });
}

/** `<LogicalId.Arn>` as cdk-nag names a resource in an IAM5 finding. */
function arnRef(construct: IConstruct): string {
  const element = construct.node.defaultChild as CfnElement;
  return `<${Stack.of(construct).getLogicalId(element)}.Arn>`;
}

const INLINE_POLICY =
  'The role belongs to one service integration of the archive and its inline policy names only what that ' +
  'integration uses (this bucket, this stream, this function, the relay key); a managed policy would be shared by nothing.';

/**
 * The roles the Firehose and SNS constructs make for the archive stream. Their grants are CDK's own for a stream
 * writing to one bucket through one transformation function: the wildcards are in actions AWS documents for Firehose
 * (S3 multipart writes, data keys for the stream and the bucket) and in the bucket's object ARNs.
 */
export function acknowledgeArchiveStreamRoles(
  stream: IConstruct,
  parts: { readonly bucket: IConstruct; readonly transform?: IConstruct },
): void {
  const bucket = arnRef(parts.bucket);
  const reasons: Record<string, string> = {
    'HIPAA.Security-IAMNoInlinePolicy': INLINE_POLICY,
    'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]':
      'Granted on the relay key only: Firehose generates data keys to encrypt the stream and the objects it writes.',
    'AwsSolutions-IAM5[Action::kms:ReEncrypt*]':
      'Granted on the relay key only, as CDK grants encrypt/decrypt for a stream with a customer-managed key.',
    'AwsSolutions-IAM5[Action::s3:Abort*]':
      "Firehose aborts its own failed multipart uploads; granted on this bucket's objects only.",
    'AwsSolutions-IAM5[Action::s3:DeleteObject*]':
      'The S3 destination grant Firehose documents; granted on this bucket only, whose versioning keeps what is deleted.',
    'AwsSolutions-IAM5[Action::s3:GetBucket*]':
      "Firehose reads the bucket's location and settings before it writes (s3:GetBucketLocation); this bucket only.",
    'AwsSolutions-IAM5[Action::s3:GetObject*]':
      "The S3 destination grant Firehose documents; this bucket's objects only.",
    'AwsSolutions-IAM5[Action::s3:List*]':
      'Firehose lists the bucket and its own multipart uploads (s3:ListBucket and the like); this bucket only.',
    [`AwsSolutions-IAM5[Resource::${bucket}/*]`]:
      'Objects of the archive bucket, which only the archive streams write (under archive/, audit/ and errors/).',
  };
  if (parts.transform)
    reasons[`AwsSolutions-IAM5[Resource::${arnRef(parts.transform)}:*]`] =
      "The transformation function's versions, as CDK grants invoking a function; it is the only function named.";
  for (const id of ['Service Role', 'S3 Destination Role', 'TopicSubscriptionRole']) {
    const role = stream.node.tryFindChild(id);
    if (role) acknowledge(role, reasons);
  }
}

/** The report function reads archived lines and writes query results, each under its own prefix. */
export function acknowledgeReportRole(role: IConstruct, bucket: IConstruct): void {
  const arn = arnRef(bucket);
  acknowledge(role, {
    [`AwsSolutions-IAM5[Resource::${arn}/archive/*]`]:
      "Athena reads the archived lines on the function's behalf: every object under the archive/ prefix, read only.",
    [`AwsSolutions-IAM5[Resource::${arn}/athena-results/*]`]:
      'Athena writes and the function reads query results under the athena-results/ prefix, which expires in 7 days.',
  });
}

/** The role EventBridge Scheduler assumes to run the report function. */
export function acknowledgeSchedulerRole(role: IConstruct, fn: IConstruct): void {
  acknowledge(role, {
    'HIPAA.Security-IAMNoInlinePolicy':
      'The role of the report schedules; its one statement invokes the report function.',
    [`AwsSolutions-IAM5[Resource::${arnRef(fn)}:*]`]:
      "The report function's versions, as CDK grants invoking a function; it is the only function this role may invoke.",
  });
}

/** The queue SNS keeps the dead letters of its deliveries to the archive stream in. */
export function acknowledgeSubscriptionDeadLetterQueue(queue: IConstruct): void {
  acknowledge(queue, {
    'AwsSolutions-SQS3':
      'This queue is a dead-letter queue: the SNS subscription of the archive stream names it in its redrive policy, ' +
      'which cdk-nag does not see as SQS redrive. Its alarm fires on the first message.',
  });
}
