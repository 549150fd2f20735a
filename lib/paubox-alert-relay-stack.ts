import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import type { RelayConfig } from '../functions/config/relay-config';
import { PauboxAlertRelay, pascalCaseName, type PauboxAlertRelayProps } from './paubox-alert-relay';

/**
 * Prints the current token of the token secret: the secret is a plain token until its first rotation, then JSON
 * (`{"token":"…","previousToken":…}`), whose `"token"` key this picks out. Portable sed (GNU and BSD).
 */
export const TOKEN_FROM_SECRET = `sed -E 's/^[{].*"token":"([^"]*)".*$/\\1/'`;

/** Properties of {@link PauboxAlertRelayStack}. */
export interface PauboxAlertRelayStackProps extends StackProps {
  /** The relay configuration, validated in `deploy` mode (see `loadStackConfig`). */
  readonly config: RelayConfig;
  /**
   * Tuning of the relay construct other than its configuration.
   * @default - the construct's defaults
   */
  readonly relay?: Omit<PauboxAlertRelayProps, 'config'>;
}

/** The deployable relay: the {@link PauboxAlertRelay} construct and the outputs an operator needs after deploying. */
export class PauboxAlertRelayStack extends Stack {
  /** The relay construct. */
  public readonly relay: PauboxAlertRelay;

  constructor(scope: Construct, id: string, props: PauboxAlertRelayStackProps) {
    super(scope, id, props);

    const { config, relay: relayProps } = props;
    this.relay = new PauboxAlertRelay(this, 'Relay', { ...relayProps, config });

    new CfnOutput(this, 'WebhookBaseUrl', {
      value: this.relay.webhookBaseUrl,
      description: 'Paubox webhook URL without its token: append the token stored in the TokenSecretName secret',
    });
    new CfnOutput(this, 'TokenSecretName', {
      value: this.relay.tokenSecret.secretName,
      description: 'Secrets Manager secret holding the webhook token (the last segment of the webhook URL)',
    });
    new CfnOutput(this, 'WebhookUrlCommand', {
      value:
        `echo "${this.relay.webhookBaseUrl}$(aws secretsmanager get-secret-value --region ${this.region} ` +
        `--secret-id ${this.relay.tokenSecret.secretName} --query SecretString --output text | ${TOKEN_FROM_SECRET})"`,
      description: 'Prints the full webhook URL to paste into the Paubox dashboard (a credential: keep it private)',
    });
    new CfnOutput(this, 'DedupTableName', {
      value: this.relay.dedupTable.tableName,
      description: 'Table of the alerts each destination posted; `paubox-relay test-destination` watches it',
    });
    new CfnOutput(this, 'DashboardUrl', {
      value:
        `https://${this.region}.console.aws.amazon.com/cloudwatch/home?region=${this.region}` +
        `#dashboards/dashboard/${this.relay.dashboard.dashboardName}`,
      description: 'CloudWatch dashboard of the relay: alarm states, webhooks, and each destination',
    });
    if (this.relay.signingSecret) {
      new CfnOutput(this, 'SigningSecretName', {
        value: this.relay.signingSecret.secretName,
        description: 'Put the whsec_… signing secret of the Paubox webhook endpoint in this secret',
      });
    }
    const { archive, automation } = this.relay.record;
    if (archive) {
      // `paubox-relay report` runs its queries in this workgroup, against this database.
      new CfnOutput(this, 'ArchiveWorkgroupName', {
        value: archive.workgroup.name,
        description: 'Athena workgroup of the deliverability queries (encrypted results, scan limit)',
      });
      new CfnOutput(this, 'ArchiveDatabaseName', {
        value: archive.databaseName,
        description: 'Glue database of the archive table "events"',
      });
      new CfnOutput(this, 'ArchiveBucketName', {
        value: archive.bucket.bucketName,
        description: 'Bucket of the archived event lines',
      });
    }
    if (automation) {
      new CfnOutput(this, 'EventBusName', {
        value: automation.bus.eventBusName,
        description: 'EventBridge bus of relayed events (source paubox.alert-relay), for automation rules',
      });
    }
    for (const [name, destination] of Object.entries(this.relay.destinations)) {
      const id = pascalCaseName(name);
      // Lets `paubox-relay set-destination` check a URL against the platform the configuration names.
      new CfnOutput(this, `${id}DestinationKind`, {
        value: config.destinations.find((d) => d.name === name)?.kind ?? 'auto',
        description: `Platform of destination "${name}": slack, teams, or auto (detected from the stored URL)`,
      });
      new CfnOutput(this, `${id}DestinationSecretName`, {
        value: destination.secret.secretName,
        description: `Put the Slack or Teams webhook URL of destination "${name}" in this secret`,
      });
      // A redrive moves messages from the dead-letter queue back to the queue: it needs both ARNs.
      new CfnOutput(this, `${id}DeadLetterQueueArn`, {
        value: destination.deadLetterQueue.queueArn,
        description: `Dead-letter queue of destination "${name}": the alerts it could not deliver`,
      });
      new CfnOutput(this, `${id}QueueArn`, {
        value: destination.queue.queueArn,
        description: `Queue of destination "${name}", where a redrive puts dead-lettered alerts back`,
      });
    }
  }
}
