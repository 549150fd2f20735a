import { Aws, Names } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/**
 * The relay's customer-managed key and the key-policy statements that let AWS services use it. Created in the
 * relay's own scope (construct id `Key`), like every part of the relay but its destinations, so that the logical
 * ids of an existing stack stay as they are.
 */
export class RelayEncryption {
  /** Encrypts the topic, the queues, the de-duplication table, the secrets and the log groups. */
  public readonly key: kms.Key;
  /** Every relay log group is named under this prefix, the only log groups CloudWatch Logs may use the key for. */
  public readonly logGroupPrefix: string;

  constructor(scope: Construct) {
    this.key = new kms.Key(scope, 'Key', {
      description:
        'Encrypts the Paubox alert relay topic, queues, dead-letter queues, de-duplication table, secrets and ' +
        'log groups',
      enableKeyRotation: true,
    });
    // Naming the log groups keeps the key policy free of references to them (a log group referencing the key
    // referencing it is a cycle).
    this.logGroupPrefix = `/paubox-alert-relay/${Names.uniqueResourceName(scope, { maxLength: 200, separator: '-' })}`;
    const logGroupArns = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:${this.logGroupPrefix}/*`;
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowRelayLogGroups',
        principals: [new iam.ServicePrincipal(`logs.${Aws.REGION}.amazonaws.com`)],
        // The actions CloudWatch Logs documents for encrypting log groups; a key policy, scoped by the condition.
        actions: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
        resources: ['*'],
        conditions: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': logGroupArns } },
      }),
    );
  }

  /** A log group named `<prefix>/<name>`, encrypted with the key. */
  public logGroup(scope: Construct, id: string, name: string, retention: logs.RetentionDays): logs.LogGroup {
    return new logs.LogGroup(scope, id, {
      logGroupName: `${this.logGroupPrefix}/${name}`,
      retention,
      encryptionKey: this.key,
    });
  }

  /** Lets CloudWatch alarms of this account publish to a topic encrypted with the key. */
  public allowAlarmNotifications(): void {
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToNotifyTheAlarmTopic',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        // Only for this account's alarms: the key also protects the queues, table and secrets.
        conditions: {
          StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'aws:SourceArn': `arn:${Aws.PARTITION}:cloudwatch:${Aws.REGION}:${Aws.ACCOUNT_ID}:alarm:*` },
        },
      }),
    );
  }
}
