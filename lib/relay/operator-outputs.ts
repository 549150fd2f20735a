import { CfnOutput, Stack } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { pascalCaseName } from '../../functions/config';
import type { PauboxAlertRelay } from '../paubox-alert-relay';

/**
 * Prints the current token of the token secret: the secret is a plain token until its first rotation, then JSON
 * (`{"token":"…","previousToken":…}`), whose `"token"` key this picks out. Portable sed (GNU and BSD).
 */
export const TOKEN_FROM_SECRET = `sed -E 's/^[{].*"token":"([^"]*)".*$/\\1/'`;

/**
 * The stack outputs an operator needs after deploying, and which the `paubox-relay` CLI reads by name: the webhook
 * URL, the secrets to fill in, the dashboard, and each destination's queues. Created in the given scope (the
 * stack), so the output names are exactly those the CLI looks for; one relay's outputs per stack.
 */
export class OperatorOutputs {
  constructor(scope: Construct, relay: PauboxAlertRelay) {
    const { region } = Stack.of(scope);
    const output = (id: string, value: string, description: string) => new CfnOutput(scope, id, { value, description });
    output(
      'WebhookBaseUrl',
      relay.webhookBaseUrl,
      'Paubox webhook URL without its token: append the token stored in the TokenSecretName secret',
    );
    // `paubox-relay quarantine` lists it: webhooks the ingest consumer could not read, kept 14 days.
    output(
      'QuarantineQueueUrl',
      relay.ingestDeadLetterQueue.queueUrl,
      'Webhooks kept unread (right token, body not a Paubox event) or failed too often: npx paubox-relay quarantine',
    );
    output(
      'TokenSecretName',
      relay.tokenSecret.secretName,
      'Secrets Manager secret holding the webhook token (the last segment of the webhook URL)',
    );
    output(
      'WebhookUrlCommand',
      `echo "${relay.webhookBaseUrl}$(aws secretsmanager get-secret-value --region ${region} ` +
        `--secret-id ${relay.tokenSecret.secretName} --query SecretString --output text | ${TOKEN_FROM_SECRET})"`,
      'Prints the full webhook URL to paste into the Paubox dashboard (a credential: keep it private)',
    );
    output(
      'DedupTableName',
      relay.dedupTable.tableName,
      'Table of the alerts each destination posted; `paubox-relay test-destination` watches it',
    );
    output(
      'FingerprintSecretName',
      relay.fingerprintSecret.secretName,
      'Key of the recipient fingerprints; `paubox-relay fingerprint <address>` reads it to look an address up',
    );
    output(
      'DashboardUrl',
      `https://${region}.console.aws.amazon.com/cloudwatch/home?region=${region}` +
        `#dashboards/dashboard/${relay.dashboard.dashboardName}`,
      'CloudWatch dashboard of the relay: alarm states, webhooks, and each destination',
    );
    if (relay.signingSecret) {
      output(
        'SigningSecretName',
        relay.signingSecret.secretName,
        'Put the whsec_… signing secret of the Paubox webhook endpoint in this secret',
      );
    }
    if (relay.pauboxApiKeySecret) {
      // `paubox-relay set-paubox-key` stores the key here.
      output(
        'PauboxApiKeySecretName',
        relay.pauboxApiKeySecret.secretName,
        'Put the Paubox Email API key in this secret (npx paubox-relay set-paubox-key)',
      );
    }
    if (relay.slackInteractivityUrl) {
      output(
        'SlackInteractivityUrl',
        relay.slackInteractivityUrl,
        "The Slack app's interactivity request URL (its manifest's settings.interactivity.request_url)",
      );
    }
    const { archive, automation } = relay.record;
    if (archive) {
      // `paubox-relay report` runs its queries in this workgroup, against this database.
      output('ArchiveWorkgroupName', archive.catalog.workgroup.name, 'Athena workgroup of the deliverability queries');
      output('ArchiveDatabaseName', archive.catalog.databaseName, 'Glue database of the archive table "events"');
      output('ArchiveBucketName', archive.bucket.bucketName, 'Bucket of the archived event lines');
    }
    if (automation) {
      output('EventBusName', automation.bus.eventBusName, 'EventBridge bus of relayed events, for automation rules');
    }
    for (const [name, destination] of Object.entries(relay.destinations)) {
      const id = pascalCaseName(name);
      // Lets `paubox-relay check-destinations` list the destinations by the names the configuration gives them.
      output(`${id}DestinationName`, name, `Name of destination "${name}" in the relay configuration`);
      // Lets `paubox-relay set-destination` check a URL against the platform the configuration names.
      output(
        `${id}DestinationKind`,
        destination.config.kind ?? 'auto',
        `Platform of destination "${name}": slack, teams, or auto (detected from the stored URL)`,
      );
      const { channel } = destination.config;
      output(
        `${id}DestinationSecretName`,
        destination.secret.secretName,
        channel === undefined
          ? `Put the Slack or Teams webhook URL of destination "${name}" in this secret`
          : `Put the Slack app's bot token and signing secret of destination "${name}" in this secret ` +
              '(set-destination --bot-token - and --signing-secret -)',
      );
      // Tells check-destinations and set-destination that the destination posts as a Slack app, to this channel.
      if (channel !== undefined) output(`${id}DestinationChannel`, channel, `Slack channel of destination "${name}"`);
      // A redrive moves messages from the dead-letter queue back to the queue: it needs both ARNs.
      output(
        `${id}DeadLetterQueueArn`,
        destination.deadLetterQueue.queueArn,
        `Dead-letter queue of destination "${name}": the alerts it could not deliver`,
      );
      output(
        `${id}QueueArn`,
        destination.queue.queueArn,
        `Queue of destination "${name}", where a redrive puts dead-lettered alerts back`,
      );
    }
  }
}
