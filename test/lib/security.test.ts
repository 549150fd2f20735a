import { parseRelayConfig } from '../../functions/config';
import { ACCESS_LOG_FORMAT } from '../../lib';
import { accessLogFormat } from '../../lib/relay/access-log';
import { LOG_GROUP_TAG } from '../../lib/relay/encryption';
import { synthesizeRelay } from './synthesize';
import { actionsOf, arnOf, logicalId, ref, resourcesFor, statementsOf, type Json } from './template-helpers';

function synth(ingest: Record<string, unknown> = {}) {
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops', kind: 'slack' },
        { name: 'care-team', kind: 'teams', detail: 'recipient' },
      ],
      routes: [{ events: ['permanent_failure'], to: ['ops', 'care-team'] }],
      ingest,
    },
    'deploy',
  );
  const { stack, template } = synthesizeRelay('SecureRelay', config);
  const { relay } = stack;
  const ids = {
    key: logicalId(stack, relay.key),
    token: logicalId(stack, relay.tokenSecret),
    ingest: logicalId(stack, relay.ingestFunction),
    rotate: logicalId(stack, relay.rotateTokenFunction),
  };
  return {
    stack,
    template,
    ids,
    resources: template.toJSON().Resources as Record<string, { Type: string; Properties: Json }>,
  };
}

describe('security of the synthesized relay', () => {
  const { stack, template, ids, resources } = synth();
  const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);

  test('every log group is encrypted with the relay key, named by CloudFormation and tagged with its part', () => {
    const groups = ofType('AWS::Logs::LogGroup');
    expect(groups.length).toBe(8); // ingest consumer, rotation, self-test, two notifiers, health, probe, API access log
    const parts: string[] = [];
    for (const [, group] of groups) {
      expect(group.Properties.KmsKeyId).toEqual(arnOf(ids.key));
      expect(group.Properties.LogGroupName).toBeUndefined();
      expect(group.Properties.RetentionInDays).toBe(30);
      const tags = group.Properties.Tags as { Key: string; Value: string }[];
      parts.push(tags.find((t) => t.Key === LOG_GROUP_TAG)!.Value);
    }
    expect(parts.sort()).toEqual(
      [
        'api-access',
        'health',
        'ingest',
        'notifier/care-team',
        'notifier/ops',
        'probe',
        'rotate-token',
        'self-test',
      ].sort(),
    );
  });

  test("the key lets CloudWatch Logs use it for this account's log groups in this region only, environment-agnostic", () => {
    const policy = resources[ids.key]!.Properties.KeyPolicy as {
      Statement: { Principal?: Json; Condition?: Json; Action: string[] }[];
    };
    const forLogs = policy.Statement.filter((s) => JSON.stringify(s.Principal ?? {}).includes('logs.'));
    expect(forLogs).toHaveLength(1);
    expect(JSON.stringify(forLogs[0]!.Principal)).toContain('AWS::Region');
    const condition = JSON.stringify(forLogs[0]!.Condition);
    expect(condition).toContain('kms:EncryptionContext:aws:logs:arn');
    expect(forLogs[0]!.Condition).toEqual({
      ArnLike: {
        'kms:EncryptionContext:aws:logs:arn': {
          'Fn::Join': [
            '',
            ['arn:', ref('AWS::Partition'), ':logs:', ref('AWS::Region'), ':', ref('AWS::AccountId'), ':log-group:*'],
          ],
        },
      },
    });
    expect(forLogs[0]!.Action).toContain('kms:GenerateDataKey*');
  });

  test('every secret is encrypted with the relay key', () => {
    const secrets = ofType('AWS::SecretsManager::Secret');
    expect(secrets.length).toBe(4); // token, fingerprint key, two destination URLs
    for (const [, secret] of secrets) expect(secret.Properties.KmsKeyId).toEqual(arnOf(ids.key));
  });

  test('the API writes an access log holding neither the request path nor the route key (both hold the token)', () => {
    const [, stage] = ofType('AWS::ApiGatewayV2::Stage')[0]!;
    const settings = stage.Properties.AccessLogSettings as { DestinationArn: unknown; Format: string };
    expect(settings.DestinationArn).toEqual(arnOf(logicalId(stack, stack.relay.accessLogGroup)));
    expect(settings.Format).toBe(accessLogFormat('SecureRelay/Relay'));
    expect(JSON.parse(settings.Format)).toEqual({ ...JSON.parse(ACCESS_LOG_FORMAT), relay: 'SecureRelay/Relay' });
    const format = JSON.parse(settings.Format) as Record<string, string>;
    expect(format.status).toBe('$context.status');
    for (const leaky of [
      '$context.routeKey',
      '$context.path',
      '$context.resourcePath',
      '$request',
      '$context.authorizer',
      '$context.integrationErrorMessage',
    ]) {
      expect(settings.Format).not.toContain(leaky);
    }
    // A bulk send's burst fits: at least 5,000 at once.
    expect(stage.Properties.DefaultRouteSettings).toEqual({ ThrottlingRateLimit: 2500, ThrottlingBurstLimit: 5000 });
  });

  test('no function role uses an AWS managed policy, and each may write only its own log group', () => {
    // Every function of the relay is checked: ingest consumer, rotation, self-test, health, probe, one notifier per
    // destination.
    expect(ofType('AWS::Lambda::Function').map(([, fn]) => fn.Properties.Description)).toHaveLength(7);
    for (const [, role] of ofType('AWS::IAM::Role')) expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    for (const [id, fn] of ofType('AWS::Lambda::Function')) {
      const statements = statementsOf(template, id);
      const logGroup = (fn.Properties.LoggingConfig as { LogGroup: { Ref: string } }).LogGroup.Ref;
      expect(resourcesFor(statements, 'logs:PutLogEvents')).toEqual([JSON.stringify(arnOf(logGroup))]);
      // No wildcard key actions anywhere.
      expect(statements.flatMap(actionsOf).filter((a) => a.startsWith('kms:') && a.endsWith('*'))).toEqual([]);
    }
  });

  test('ingest re-reads the token every minute and reserves no concurrency by default', () => {
    const ingest = resources[ids.ingest]!.Properties;
    expect((ingest.Environment as { Variables: Json }).Variables).toMatchObject({ TOKEN_CACHE_SECONDS: '60' });
    expect(ingest.ReservedConcurrentExecutions).toBeUndefined();
    expect(JSON.stringify(ingest)).not.toContain('SIGNING_SECRET_ARN');
  });

  test('the token rotates on demand through its own function, never at deploy time', () => {
    template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      SecretId: ref(ids.token),
      RotationLambdaARN: arnOf(ids.rotate),
      RotateImmediatelyOnUpdate: false,
    });
    const [, schedule] = ofType('AWS::SecretsManager::RotationSchedule')[0]!;
    expect(schedule.Properties.RotationRules).toBeUndefined();
    expect((resources[ids.rotate]!.Properties.Environment as { Variables: Json }).Variables).toMatchObject({
      TOKEN_OVERLAP_HOURS: '72',
      RELAY_ID: 'SecureRelay/Relay',
      TOKEN_SECRET_ARN: ref(ids.token),
      API_STAGE_NAME: '$default',
      WEBHOOK_RATE_LIMIT: '2500',
      WEBHOOK_BURST_LIMIT: '5000',
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      FunctionName: arnOf(ids.rotate),
      Principal: 'secretsmanager.amazonaws.com',
      SourceArn: ref(ids.token),
      SourceAccount: { Ref: 'AWS::AccountId' },
    });
  });

  test('the rotation function may change the token secret only, and generate random passwords', () => {
    const statements = statementsOf(template, ids.rotate);
    for (const action of [
      'secretsmanager:GetSecretValue',
      'secretsmanager:PutSecretValue',
      'secretsmanager:UpdateSecretVersionStage',
    ]) {
      expect(resourcesFor(statements, action)).toEqual([JSON.stringify(ref(ids.token))]);
    }
    expect(resourcesFor(statements, 'secretsmanager:GetRandomPassword')).toEqual([JSON.stringify('*')]);
    const star = statements.filter((s) => JSON.stringify(s.Resource) === '"*"');
    expect(star.flatMap(actionsOf)).toEqual(['secretsmanager:GetRandomPassword']);
    expect(resourcesFor(statements, 'kms:GenerateDataKey')).toEqual([JSON.stringify(arnOf(ids.key))]);
  });

  test('signatures, a schedule, an overlap and reserved concurrency come from the ingest configuration', () => {
    const configured = synth({
      verifySignatures: true,
      tokenRotationDays: 30,
      tokenOverlapHours: 12,
      reservedConcurrency: 25,
      accountConcurrency: 1000,
    });
    const ingest = configured.resources[configured.ids.ingest]!.Properties;
    expect(ingest.ReservedConcurrentExecutions).toBe(25);
    const signing = logicalId(configured.stack, configured.stack.relay.signingSecret!);
    expect((ingest.Environment as { Variables: Json }).Variables).toMatchObject({ SIGNING_SECRET_ARN: ref(signing) });
    expect(configured.resources[signing]!.Properties.KmsKeyId).toEqual(arnOf(configured.ids.key));
    expect(
      resourcesFor(statementsOf(configured.template, configured.ids.ingest), 'secretsmanager:GetSecretValue').sort(),
    ).toEqual([ref(configured.ids.token), ref(signing)].map((r) => JSON.stringify(r)).sort());
    expect(Object.keys(configured.template.findOutputs('SigningSecretName'))).toEqual(['SigningSecretName']);
    expect(Object.keys(template.findOutputs('SigningSecretName'))).toEqual([]);
    configured.template.hasResourceProperties('AWS::SecretsManager::RotationSchedule', {
      RotationRules: { AutomaticallyAfterDays: 30 },
      RotateImmediatelyOnUpdate: false,
    });
    expect(
      (configured.resources[configured.ids.rotate]!.Properties.Environment as { Variables: Json }).Variables,
    ).toMatchObject({
      TOKEN_OVERLAP_HOURS: '12',
      RELAY_ID: 'SecureRelay/Relay',
    });
  });
});

describe('the webhook URL command', () => {
  const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
  const { TOKEN_FROM_SECRET } = require('../../lib') as typeof import('../../lib');
  const token = (secretString: string) =>
    execFileSync('sh', ['-c', TOKEN_FROM_SECRET], { input: `${secretString}\n` })
      .toString()
      .trim();

  it('prints the token of a plain secret and of a rotated (JSON) one', () => {
    expect(token('Abc123Abc123')).toBe('Abc123Abc123');
    expect(
      token(JSON.stringify({ token: 'N3w', previousToken: 'Old', previousValidUntil: '2026-11-23T12:00:00.000Z' })),
    ).toBe('N3w');
  });

  it('is part of the WebhookUrlCommand output', () => {
    const { template } = synth();
    expect(JSON.stringify(template.findOutputs('WebhookUrlCommand'))).toContain(
      JSON.stringify(TOKEN_FROM_SECRET).slice(1, -1),
    );
  });
});
