import {
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { parseTokenSecret, validTokens } from '../../../functions/ingest/token-secret';
import { RotationError } from '../../../functions/ingest/errors';
import { rotateTokenStep, type RotationEvent } from '../../../functions/ingest/token-rotation';
import { captureLogger } from '../../support/capture-logger';

const SECRET = 'arn:aws:secretsmanager:eu-west-1:111122223333:secret:token-AbCdEf';
const OLD = 'Old0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0ld0l';
const NEW = 'N3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3wN3w';
const NOW = Date.parse('2026-11-20T12:00:00.000Z');
const HOUR = 3_600_000;

const sm = mockClient(SecretsManagerClient);
const logger = captureLogger();
const routes = jest.fn(async (_tokens: readonly string[]) => undefined);
const deps = () => ({ client: new SecretsManagerClient({}), overlapMs: 24 * HOUR, now: () => NOW, logger, routes });
const step = (Step: string, ClientRequestToken = 'v2'): RotationEvent => ({
  SecretId: SECRET,
  ClientRequestToken,
  Step,
});

/** A secret with version v1 current (a plain token, as first generated) and v2 pending. */
function secretWithPendingVersion(pending?: string) {
  sm.on(DescribeSecretCommand).resolves({
    RotationEnabled: true,
    VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] },
  });
  sm.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSCURRENT' }).resolves({
    SecretString: OLD,
    VersionId: 'v1',
  });
  const pendingCall = sm.on(GetSecretValueCommand, { SecretId: SECRET, VersionStage: 'AWSPENDING', VersionId: 'v2' });
  if (pending === undefined)
    pendingCall.rejects(new ResourceNotFoundException({ message: 'no such version', $metadata: {} }));
  else pendingCall.resolves({ SecretString: pending, VersionId: 'v2' });
  sm.on(GetRandomPasswordCommand).resolves({ RandomPassword: NEW });
}

beforeEach(() => {
  routes.mockClear();
  sm.reset();
  logger.lines.length = 0;
});

describe('token rotation', () => {
  it('createSecret stores a new token from Secrets Manager, keeping the old one valid for the overlap', async () => {
    secretWithPendingVersion();
    await rotateTokenStep(step('createSecret'), deps());
    expect(sm.commandCalls(GetRandomPasswordCommand)[0]!.args[0].input).toMatchObject({
      PasswordLength: 48,
      ExcludePunctuation: true,
      IncludeSpace: false,
    });
    const put = sm.commandCalls(PutSecretValueCommand);
    expect(put).toHaveLength(1);
    expect(put[0]!.args[0].input).toMatchObject({
      SecretId: SECRET,
      ClientRequestToken: 'v2',
      VersionStages: ['AWSPENDING'],
    });
    const stored = parseTokenSecret(put[0]!.args[0].input.SecretString!);
    expect(stored).toEqual({ token: NEW, previousToken: OLD, previousValidUntil: '2026-11-21T12:00:00.000Z' });
    expect(validTokens(stored, NOW + 24 * HOUR - 1)).toEqual([NEW, OLD]);
    expect(validTokens(stored, NOW + 24 * HOUR)).toEqual([NEW]);
  });

  it('createSecret retried after it succeeded writes nothing again', async () => {
    secretWithPendingVersion(JSON.stringify({ token: NEW }));
    await rotateTokenStep(step('createSecret'), deps());
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(sm.commandCalls(GetRandomPasswordCommand)).toHaveLength(0);
  });

  it('testSecret accepts a long random token and refuses a short one', async () => {
    secretWithPendingVersion(
      JSON.stringify({ token: NEW, previousToken: OLD, previousValidUntil: '2026-11-21T12:00:00.000Z' }),
    );
    await expect(rotateTokenStep(step('testSecret'), deps())).resolves.toBeUndefined();
    sm.reset();
    secretWithPendingVersion(JSON.stringify({ token: 'short' }));
    await expect(rotateTokenStep(step('testSecret'), deps())).rejects.toBeInstanceOf(RotationError);
  });

  it('finishSecret moves AWSCURRENT to the new version, and does nothing once it is there', async () => {
    secretWithPendingVersion(JSON.stringify({ token: NEW }));
    await rotateTokenStep(step('setSecret'), deps());
    await rotateTokenStep(step('finishSecret'), deps());
    expect(sm.commandCalls(UpdateSecretVersionStageCommand).map((c) => c.args[0].input)).toEqual([
      { SecretId: SECRET, VersionStage: 'AWSCURRENT', MoveToVersionId: 'v2', RemoveFromVersionId: 'v1' },
    ]);
    sm.reset();
    sm.on(DescribeSecretCommand).resolves({
      RotationEnabled: true,
      VersionIdsToStages: { v1: ['AWSPREVIOUS'], v2: ['AWSCURRENT'] },
    });
    await rotateTokenStep(step('finishSecret'), deps());
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  it.each([
    [
      'the version does not exist',
      { RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'] } },
      'createSecret',
    ],
    [
      'the version is not pending',
      { RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'], v2: [] } },
      'createSecret',
    ],
    [
      'the step is unknown',
      { RotationEnabled: true, VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] } },
      'dropSecret',
    ],
  ])('refuses to work when %s', async (_label, description, stepName) => {
    sm.on(DescribeSecretCommand).resolves(description);
    await expect(rotateTokenStep(step(stepName), deps())).rejects.toBeInstanceOf(RotationError);
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(0);
    expect(sm.commandCalls(UpdateSecretVersionStageCommand)).toHaveLength(0);
  });

  it('runs while the secret still reports RotationEnabled: false, as during the first deploy', async () => {
    secretWithPendingVersion();
    sm.on(DescribeSecretCommand).resolves({
      RotationEnabled: false,
      VersionIdsToStages: { v1: ['AWSCURRENT'], v2: ['AWSPENDING'] },
    });
    await rotateTokenStep(step('createSecret'), deps());
    expect(sm.commandCalls(PutSecretValueCommand)).toHaveLength(1);
    expect(logger.text()).toContain('rotation as not enabled');
  });

  it('logs no token', async () => {
    secretWithPendingVersion();
    await rotateTokenStep(step('createSecret'), deps());
    expect(logger.lines.length).toBeGreaterThan(0);
    expect(logger.text()).not.toContain(NEW);
    expect(logger.text()).not.toContain(OLD);
  });
});
