import { Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { parseRelayConfig } from '../../functions/config';
import { PauboxAlertRelay, PauboxAlertRelayStack } from '../../lib';
import { projectApp } from './template-helpers';

const ACKNOWLEDGED = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;

function nagApp(
  ingest: Record<string, unknown>,
  alarms?: Record<string, unknown>,
  record: Record<string, unknown> = {},
) {
  const app = projectApp();
  const config = parseRelayConfig(
    {
      destinations: [
        { name: 'ops', kind: 'slack', detail: 'minimal' },
        { name: 'care-team', kind: 'teams', detail: 'recipient' },
        { name: 'billing', detail: 'full' },
      ],
      routes: [
        { events: ['permanent_failure', 'temporary_failure'], to: ['ops', 'care-team'] },
        { events: ['permanent_failure'], senderDomains: ['billing.example.com'], to: ['billing'] },
      ],
      ingest,
      ...(alarms ? { alarms } : {}),
      ...record,
    },
    'deploy',
  );
  const stack = new PauboxAlertRelayStack(app, 'NagRelay', { config });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
  return { app, stack };
}

/** The relay with default ingest settings, built once for the tests that only read it. */
let defaultNagApp: ReturnType<typeof nagApp> | undefined;
const sharedNagApp = () => (defaultNagApp ??= nagApp({}));

/** Synthesizes with both packs; the plugins make synth throw on any finding that is not acknowledged. */
function findings(app: ReturnType<typeof projectApp>): string {
  try {
    app.synth();
    return '';
  } catch (error) {
    return (error as Error).message;
  }
}

function acknowledgmentsIn(root: IConstruct): { path: string; id: string; reason: string; node: IConstruct }[] {
  return root.node.findAll().flatMap((node) =>
    node.node.metadata
      .filter((m) => m.type === ACKNOWLEDGED)
      .flatMap((m) =>
        Object.entries(m.data as Record<string, string>).map(([id, reason]) => ({
          path: node.node.path,
          id,
          reason,
          node,
        })),
      ),
  );
}

describe('cdk-nag AwsSolutions and HIPAA.Security', () => {
  it.each([
    ['default ingest settings', {}],
    [
      'signatures, a rotation schedule and reserved concurrency',
      { verifySignatures: true, tokenRotationDays: 90, reservedConcurrency: 20, accountConcurrency: 1000 },
    ],
  ])('finds nothing unacknowledged with %s', (_label, ingest) => {
    const { app } = Object.keys(ingest).length === 0 ? sharedNagApp() : nagApp(ingest);
    // On failure, the message lists every finding with its construct path.
    expect(findings(app)).toBe('');
  });

  it('finds nothing unacknowledged with alarm actions (an e-mail topic and an existing topic)', () => {
    const { app, stack } = nagApp(
      {},
      { email: 'oncall@clinic.example.com', topicArn: 'arn:aws:sns:us-east-1:123456789012:pager' },
    );
    expect(findings(app)).toBe('');
    // With somewhere to send them, alarms get actions instead of an acknowledgment.
    expect(acknowledgmentsIn(stack).filter((a) => a.id.includes('CloudWatchAlarmAction'))).toEqual([]);
  });

  it('acknowledges each finding on one resource (never the stack or the whole relay), with a specific reason', () => {
    const { stack } = sharedNagApp();
    const acknowledgments = acknowledgmentsIn(stack);
    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const { path, reason, node } of acknowledgments) {
      expect({ path, isBroad: node instanceof Stack || node instanceof PauboxAlertRelay }).toEqual({
        path,
        isBroad: false,
      });
      expect(reason.length).toBeGreaterThan(60);
    }
    // Fixed, not acknowledged: encryption, access logging, managed policies, wildcard key actions.
    // Acknowledged ids read `Annotation::<rule>`; a rule's own finding may hold `::` too (`IAM5[Action::…]`).
    const ids = new Set(acknowledgments.map((a) => a.id.replace(/^annotation::/i, '')));
    // The form of an acknowledged id with a finding, so that the checks below compare like with like.
    expect(ids).toContain('AwsSolutions-IAM5[Resource::*]');
    for (const fixed of [
      'HIPAA.Security-CloudWatchLogGroupEncrypted',
      'HIPAA.Security-SecretsManagerUsingKMSKey',
      'AwsSolutions-APIG1',
      'AwsSolutions-IAM4',
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*]',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*]',
    ]) {
      expect(ids).not.toContain(fixed);
    }
  });

  it('finds nothing unacknowledged with the deliverability record, each acknowledgment on one resource', () => {
    const record = {
      archive: { detail: 'full', retentionDays: 2190 },
      reports: [{ to: ['ops', 'care-team'], every: 'week', timeZone: 'America/Chicago', header: 'X-Campaign' }],
      automation: { eventBridge: true },
    };
    const { app, stack } = nagApp({}, undefined, record);
    expect(findings(app)).toBe('');
    const ofRecord = acknowledgmentsIn(stack).filter((a) => /\/(Archive|Reports|Automation)\//.test(a.path));
    expect(ofRecord.length).toBeGreaterThan(0);
    for (const { path, reason, node } of ofRecord) {
      expect({ path, isBroad: node instanceof Stack || node instanceof PauboxAlertRelay }).toEqual({
        path,
        isBroad: false,
      });
      expect(reason.length).toBeGreaterThan(60);
    }
    // Fixed in the constructs, not acknowledged: the report function's S3 and key grants are spelled out.
    const reportIds = ofRecord.filter((a) => a.path.includes('/Reports/')).map((a) => a.id);
    expect(reportIds.filter((id) => /Action::(s3|kms):/.test(id))).toEqual([]);
  });

  it("acknowledges the token secret's missing schedule only when rotation is on demand", () => {
    const onDemand = acknowledgmentsIn(sharedNagApp().stack).filter((a) => a.path.includes('/TokenSecret'));
    expect(onDemand.map((a) => a.id.replace(/^.*::/, '')).sort()).toEqual([
      'AwsSolutions-SMG4',
      'HIPAA.Security-SecretsManagerRotationEnabled',
    ]);
    const scheduled = acknowledgmentsIn(nagApp({ tokenRotationDays: 90 }).stack).filter((a) =>
      a.path.includes('/TokenSecret'),
    );
    expect(scheduled).toEqual([]);
  });

  it('still reports a finding nobody acknowledged', () => {
    const { app, stack } = nagApp({});
    // An unencrypted, unrotated secret added next to the relay must fail the check.
    new (require('aws-cdk-lib/aws-secretsmanager').Secret)(stack, 'Unreviewed');
    const message = findings(app);
    expect(message).toContain('NagRelay/Unreviewed');
    expect(message).toContain('SecretsManagerUsingKMSKey');
  });
});
