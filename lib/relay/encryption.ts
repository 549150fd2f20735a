import { Aws, RemovalPolicy, Tags } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';

/** Tag key on each relay log group; its value says which part writes there (`ingest-consumer`, `notifier-ops`, …). */
export const LOG_GROUP_TAG = 'paubox-alert-relay:log';

/**
 * The relay's customer-managed key and the key-policy statements that let AWS services use it. Created in the
 * relay's own scope (construct id `Key`), like every part of the relay but its destinations, so that the logical
 * ids of an existing stack stay as they are.
 */
export class RelayEncryption {
  /** Encrypts the topic, the queues, the de-duplication table, the secrets and the log groups. */
  public readonly key: kms.Key;
  constructor(scope: Construct) {
    this.key = new kms.Key(scope, 'Key', {
      description:
        'Encrypts the Paubox alert relay topic, queues, dead-letter queues, de-duplication table, secrets and ' +
        'log groups',
      enableKeyRotation: true,
    });
    // Log groups are left for CloudFormation to name, so that a group kept after its resource was removed (or after
    // `cdk destroy`) never collides with the one a later deploy creates. A key policy cannot name them (a log group
    // referencing the key referencing it is a cycle), so it allows CloudWatch Logs to use the key for this account's
    // log groups in this region, the scope CloudWatch Logs documents for a key shared by several log groups.
    const logGroupArns = `arn:${Aws.PARTITION}:logs:${Aws.REGION}:${Aws.ACCOUNT_ID}:log-group:*`;
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

  /**
   * A log group encrypted with the key, named by CloudFormation and tagged `paubox-alert-relay:log` = `name` (with
   * the stack's own tags), which is how operators find it.
   */
  public logGroup(scope: Construct, id: string, name: string, retention: logs.RetentionDays): logs.LogGroup {
    const group = new logs.LogGroup(scope, id, {
      retention,
      encryptionKey: this.key,
      // Kept on a delete or replacement (its logs may be needed), but removed when the create fails. Its generated
      // name is new on every create, so a kept group never blocks re-adding the part it belonged to.
      removalPolicy: RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
    });
    Tags.of(group).add(LOG_GROUP_TAG, name);
    return group;
  }

  private alarmsAllowed = false;

  /** Lets CloudWatch alarms of this account publish to a topic encrypted with the key; once, however often asked. */
  public allowAlarmNotifications(): void {
    if (this.alarmsAllowed) return;
    this.alarmsAllowed = true;
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
