import { Validations } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelayStack } from '../../lib';
import type { ArchiveAudit } from '../../lib/relay/archive-audit';
import { recordStack } from './record-stack';
import { arnOf, logicalId, projectApp, ref, statementsOf, type Json, type Statement } from './template-helpers';

/*
 * The deployed audit trail of Slack actions: a second Firehose stream into the archive bucket under audit/, a Glue
 * table `audit` beside `events` (whose location does not cover it), and a grant to put records on that stream
 * given to the interactivity function alone.
 */
const destinations = [
  { name: 'ops', kind: 'slack' },
  { name: 'app', kind: 'slack', channel: 'C0123ABCDEF' },
];
const routes = [{ events: ['permanent_failure'], to: ['ops', 'app'] }];
const { stack, template, resources } = recordStack({ destinations, routes, archive: { retentionDays: 400 } });
const archive = stack.relay.record.archive!;
const audit = archive.node.tryFindChild('Audit') as ArchiveAudit;
const ids = {
  key: logicalId(stack, stack.relay.key),
  bucket: logicalId(stack, archive.bucket),
  stream: logicalId(stack, audit.deliveryStream),
  interactivity: logicalId(stack, stack.relay.interactivityFunction!),
};
type Table = { TableInput: { Name: string; StorageDescriptor: { Location: Json; Columns: Json[] }; Parameters: Json } };
const tables = Object.values(resources)
  .filter((r) => r.Type === 'AWS::Glue::Table')
  .map((r) => r.Properties as unknown as Table);
const tableNamed = (name: string) => tables.find((t) => t.TableInput.Name === name)!.TableInput;
/** An S3 location as the template joins it, with the bucket's Ref in place of its name. */
const locationOf = (value: Json) =>
  (value['Fn::Join'] as [string, unknown[]])[1].map((p) => (typeof p === 'string' ? p : JSON.stringify(p))).join('');
const grantsOf = (statements: Statement[], action: string) =>
  statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().some((a) => a === action || a === 'firehose:*'));

describe('the archive audit trail', () => {
  it('streams into audit/ day prefixes of the archive bucket, encrypted with the relay key, without transformation', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: arnOf(ids.key) },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: arnOf(ids.bucket),
        Prefix: 'audit/dt=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'errors/audit/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: arnOf(ids.key) } },
      }),
    });
    const stream = resources[ids.stream]!.Properties as { ExtendedS3DestinationConfiguration: Json };
    expect(stream.ExtendedS3DestinationConfiguration.ProcessingConfiguration).toBeUndefined();
    const bucket = resources[ids.bucket]!.Properties as { LifecycleConfiguration: { Rules: Json[] } };
    expect(bucket.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([expect.objectContaining({ Prefix: 'audit/', ExpirationInDays: 400 })]),
    );
  });

  it('lets the interactivity function, and no other function, put records on that stream only', () => {
    const statements = statementsOf(template, ids.interactivity);
    const puts = grantsOf(statements, 'firehose:PutRecord');
    expect(puts.map((s) => s.Action)).toEqual(['firehose:PutRecord']);
    expect(puts.map((s) => JSON.stringify(s.Resource))).toEqual([JSON.stringify(arnOf(ids.stream))]);
    const env = (resources[ids.interactivity]!.Properties as { Environment: { Variables: Json } }).Environment;
    expect(env.Variables.AUDIT_STREAM_NAME).toEqual(ref(ids.stream));
    const others = Object.entries(resources).filter(
      ([id, r]) => r.Type === 'AWS::Lambda::Function' && id !== ids.interactivity,
    );
    expect(others.length).toBeGreaterThan(0);
    for (const [id] of others) {
      const role = (resources[id]!.Properties as { Role?: Json }).Role;
      if (role) expect(grantsOf(statementsOf(template, id), 'firehose:PutRecord')).toEqual([]);
    }
  });

  it('is read by a Glue table `audit` over audit/, with day projection, while `events` reads archive/ only', () => {
    const auditTable = tableNamed('audit');
    expect(locationOf(auditTable.StorageDescriptor.Location)).toBe(`s3://${JSON.stringify(ref(ids.bucket))}/audit/`);
    expect(auditTable.Parameters).toMatchObject({ 'projection.enabled': 'true', 'projection.dt.type': 'date' });
    expect(JSON.stringify(auditTable.Parameters['storage.location.template'])).toMatch(/\/audit\/dt=\$\{dt\}\//);
    expect(auditTable.StorageDescriptor.Columns.map((c) => c.Name)).toEqual(
      expect.arrayContaining(['action', 'by', 'destination', 'at', 'sender_domain', 'fingerprint', 'silence_id']),
    );
    expect(auditTable.StorageDescriptor.Columns).toContainEqual(
      expect.objectContaining({ Name: 'changed', Type: 'boolean' }),
    );
    const events = tableNamed('events');
    const eventsLocation = locationOf(events.StorageDescriptor.Location);
    expect(eventsLocation).toBe(`s3://${JSON.stringify(ref(ids.bucket))}/archive/`);
    expect(`s3://${JSON.stringify(ref(ids.bucket))}/audit/dt=2026-12-08/x.gz`.startsWith(eventsLocation)).toBe(false);
  });

  it("adds an alarm on audit records the function could not put, among the relay's", () => {
    expect(stack.relay.alarms).toContain(audit.alarm);
    // The path docs/slack-interactivity.md names.
    expect(audit.alarm.node.path).toBe(`${stack.relay.node.path}/Archive/Audit/Alarm`);
    const alarm = resources[logicalId(stack, audit.alarm)]!.Properties as { Metrics: Json[] };
    expect(JSON.stringify(alarm.Metrics)).toContain('AuditRecordsFailed');
  });

  it('is not deployed without an app-mode destination, nor without an archive', () => {
    const noApp = recordStack({ archive: { retentionDays: 30 } });
    noApp.template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 1);
    expect(noApp.stack.relay.record.archive!.node.tryFindChild('Audit')).toBeUndefined();
    const noArchive = recordStack({ destinations, routes });
    noArchive.template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    const fn = logicalId(noArchive.stack, noArchive.stack.relay.interactivityFunction!);
    const env = (noArchive.resources[fn]!.Properties as { Environment: { Variables: Json } }).Environment;
    expect(env.Variables.AUDIT_STREAM_NAME).toBeUndefined();
  });

  it('leaves cdk-nag (AwsSolutions, HIPAA Security) nothing unacknowledged', () => {
    const app = projectApp();
    const config = parseRelayConfig({ destinations, routes, archive: { retentionDays: 30 } }, 'deploy');
    new PauboxAlertRelayStack(app, 'NagAuditRelay', { config });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
    expect(() => app.synth()).not.toThrow();
  });
});
