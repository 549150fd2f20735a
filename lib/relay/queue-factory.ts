import { Duration } from 'aws-cdk-lib';
import type * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** The longest SQS keeps a message; dead letters are kept that long. */
export const SQS_MAX_RETENTION = Duration.days(14);

/** A queue and the dead-letter queue it moves a message to after `maxReceiveCount` receives. */
export interface QueuePair {
  readonly queue: sqs.Queue;
  readonly deadLetterQueue: sqs.Queue;
}

export interface QueuePairProps {
  /** Encrypts both queues. */
  readonly key: kms.IKey;
  /** How long the queue keeps a message; its dead-letter queue keeps one for {@link SQS_MAX_RETENTION}. */
  readonly retentionPeriod: Duration;
  readonly visibilityTimeout: Duration;
  readonly maxReceiveCount: number;
}

/**
 * `<prefix>Queue` and `<prefix>DeadLetterQueue`, both encrypted with the relay key and refusing non-TLS access.
 * The construct ids are those the relay has always used, so existing stacks keep their queues.
 */
export function queueWithDeadLetters(scope: Construct, prefix: string, props: QueuePairProps): QueuePair {
  const encrypted = { encryption: sqs.QueueEncryption.KMS, encryptionMasterKey: props.key, enforceSSL: true };
  const deadLetterQueue = new sqs.Queue(scope, `${prefix}DeadLetterQueue`, {
    ...encrypted,
    retentionPeriod: SQS_MAX_RETENTION,
  });
  const queue = new sqs.Queue(scope, `${prefix}Queue`, {
    ...encrypted,
    retentionPeriod: props.retentionPeriod,
    visibilityTimeout: props.visibilityTimeout,
    deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: props.maxReceiveCount },
  });
  return { queue, deadLetterQueue };
}

/**
 * Lets `grantee` send to an encrypted queue. Spelled out rather than `grantSendMessages`, whose key actions are
 * wildcards (kms:GenerateDataKey*, kms:ReEncrypt*): sending to an encrypted queue needs these two.
 */
export function grantSend(queue: sqs.IQueue, grantee: iam.IGrantable, key: kms.IKey): void {
  queue.grant(grantee, 'sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl');
  key.grant(grantee, 'kms:Decrypt', 'kms:GenerateDataKey');
}
