import { Match } from 'aws-cdk-lib/assertions';
import { QUERY_NAMES } from '../../functions/reports';
import { BYTES_SCANNED_CUTOFF } from '../../lib/relay/archive-catalog';
import { recordStack } from './record-stack';
import { arnOf, logicalId, ref, resourcesFor, statementsOf, type Json } from './template-helpers';

describe('the archive', () => {
  const { stack, template, resources } = recordStack({ archive: { retentionDays: 400 } });
  const archive = stack.relay.record.archive!;
  const ids = {
    key: logicalId(stack, stack.relay.key),
    bucket: logicalId(stack, archive.bucket),
    stream: logicalId(stack, archive.deliveryStream),
    transform: logicalId(stack, archive.transformFunction),
    topic: logicalId(stack, stack.relay.topic),
  };

  it('keeps every event of the topic: a raw Firehose subscription, without a filter, with a dead-letter queue', () => {
    const subscriptions = Object.values(resources).filter(
      (r) => r.Type === 'AWS::SNS::Subscription' && r.Properties.Protocol === 'firehose',
    );
    expect(subscriptions).toHaveLength(1);
    const [subscription] = subscriptions;
    expect(subscription!.Properties).toMatchObject({
      Endpoint: arnOf(ids.stream),
      RawMessageDelivery: true,
      RedrivePolicy: { deadLetterTargetArn: arnOf(logicalId(stack, archive.deadLetterQueue)) },
    });
    expect(subscription!.Properties.FilterPolicy).toBeUndefined();
    expect(JSON.stringify(subscription!.Properties.TopicArn)).toContain('-events');
  });

  it('streams through the transformation function into day partitions of the bucket, encrypted with the relay key', () => {
    template.hasResourceProperties('AWS::KinesisFirehose::DeliveryStream', {
      DeliveryStreamEncryptionConfigurationInput: { KeyType: 'CUSTOMER_MANAGED_CMK', KeyARN: arnOf(ids.key) },
      ExtendedS3DestinationConfiguration: Match.objectLike({
        BucketARN: arnOf(ids.bucket),
        Prefix: 'archive/dt=!{timestamp:yyyy-MM-dd}/',
        ErrorOutputPrefix: 'errors/!{firehose:error-output-type}/dt=!{timestamp:yyyy-MM-dd}/',
        CompressionFormat: 'GZIP',
        EncryptionConfiguration: { KMSEncryptionConfig: { AWSKMSKeyARN: arnOf(ids.key) } },
        ProcessingConfiguration: {
          Enabled: true,
          Processors: [
            Match.objectLike({
              Type: 'Lambda',
              Parameters: Match.arrayWith([{ ParameterName: 'LambdaArn', ParameterValue: arnOf(ids.transform) }]),
            }),
          ],
        },
      }),
    });
    const transform = resources[ids.transform]!.Properties as { Environment: { Variables: Json } };
    expect(transform.Environment.Variables.ARCHIVE_DETAIL).toBe('minimal');
  });

  it('keeps the bucket private: relay key, TLS only, public access blocked, lifecycle from retentionDays', () => {
    const bucket = resources[ids.bucket]!.Properties as Json & { LifecycleConfiguration: { Rules: Json[] } };
    expect(bucket.BucketEncryption).toEqual({
      ServerSideEncryptionConfiguration: [
        {
          BucketKeyEnabled: true,
          ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: arnOf(ids.key) },
        },
      ],
    });
    expect(bucket.PublicAccessBlockConfiguration).toEqual({
      BlockPublicAcls: true,
      BlockPublicPolicy: true,
      IgnorePublicAcls: true,
      RestrictPublicBuckets: true,
    });
    expect(bucket.LifecycleConfiguration.Rules).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ Prefix: 'archive/', ExpirationInDays: 400, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'errors/', ExpirationInDays: 400, Status: 'Enabled' }),
        expect.objectContaining({ Prefix: 'athena-results/', ExpirationInDays: 7, Status: 'Enabled' }),
      ]),
    );
    template.hasResourceProperties('AWS::S3::BucketPolicy', {
      Bucket: ref(ids.bucket),
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
        ]),
      },
    });
  });

  it('describes the lines with a Glue table that projects the day partitions (no crawler)', () => {
    template.hasResourceProperties('AWS::Glue::Table', {
      TableInput: Match.objectLike({
        Name: 'events',
        PartitionKeys: [Match.objectLike({ Name: 'dt', Type: 'string' })],
        Parameters: Match.objectLike({
          'projection.enabled': 'true',
          'projection.dt.type': 'date',
          'projection.dt.format': 'yyyy-MM-dd',
        }),
        StorageDescriptor: Match.objectLike({
          SerdeInfo: { SerializationLibrary: 'org.apache.hive.hcatalog.data.JsonSerDe' },
          Columns: Match.arrayWith([
            { Name: 'recipient_domains', Type: 'array<string>' },
            Match.objectLike({ Name: 'custom_headers', Type: 'map<string,string>' }),
          ]),
        }),
      }),
    });
    template.resourceCountIs('AWS::Glue::Crawler', 0);
  });

  it('runs queries in a workgroup that encrypts results with the relay key and caps each scan', () => {
    template.hasResourceProperties('AWS::Athena::WorkGroup', {
      WorkGroupConfiguration: Match.objectLike({
        EnforceWorkGroupConfiguration: true,
        BytesScannedCutoffPerQuery: BYTES_SCANNED_CUTOFF,
        ResultConfiguration: {
          OutputLocation: Match.objectLike({
            'Fn::Join': Match.arrayWith([Match.arrayWith([ref(ids.bucket), '/athena-results/'])]),
          }),
          EncryptionConfiguration: { EncryptionOption: 'SSE_KMS', KmsKey: arnOf(ids.key) },
        },
      }),
    });
  });

  it('saves every query of the repository as a named query with ? placeholders', () => {
    const named = Object.values(resources).filter((r) => r.Type === 'AWS::Athena::NamedQuery');
    expect(named.map((q) => q.Properties.Name).sort()).toEqual(QUERY_NAMES.map((n) => `paubox-relay ${n}`).sort());
    for (const query of named) {
      expect(query.Properties.QueryString).not.toMatch(/\$[a-z_]+/);
      expect(query.Properties.QueryString).toContain('FROM events');
      expect(query.Properties.Description).toMatch(
        /Parameters, in order: (header, )?first_day, last_day, previous_start, end, start$/,
      );
    }
  });

  it('lets the transformation read the fingerprint key, and nothing writes the bucket but the stream', () => {
    const statements = statementsOf(template, ids.transform);
    expect(resourcesFor(statements, 'secretsmanager:GetSecretValue')).toEqual([
      JSON.stringify(ref(logicalId(stack, stack.relay.fingerprintSecret))),
    ]);
    expect(resourcesFor(statements, 's3:PutObject')).toEqual([]);
  });

  it("adds its alarms to the relay's, so they get the same actions", () => {
    expect(stack.relay.alarms).toEqual(expect.arrayContaining([...archive.alarms]));
    expect(archive.alarms).toHaveLength(3);
  });

  it('tells paubox-relay report where to query, in the stack outputs', () => {
    template.hasOutput('ArchiveWorkgroupName', { Value: archive.catalog.workgroup.name });
    template.hasOutput('ArchiveDatabaseName', { Value: archive.catalog.databaseName });
  });

  it('is not deployed without "archive" in the configuration', () => {
    const plain = recordStack({});
    plain.template.resourceCountIs('AWS::KinesisFirehose::DeliveryStream', 0);
    plain.template.resourceCountIs('AWS::S3::Bucket', 0);
    expect(plain.stack.relay.record).toEqual({ alarms: [] });
    expect(Object.keys(plain.template.toJSON().Outputs)).not.toContain('ArchiveWorkgroupName');
  });
});
